import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { serverCaller } from "@/app/_trpc/server";
import { Shop } from "./_components/shop";

export const metadata: Metadata = { title: "Book & pay" };

export default async function ShopPage() {
  const caller = await serverCaller();
  const [services, overview] = await Promise.all([caller.portal.catalog(), caller.portal.overview()]);
  return (
    <>
      <div className="flex flex-col gap-1">
        <h1 className="text-2xl font-bold text-slate-900">Book &amp; pay</h1>
        <p className="text-slate-700">Choose your services and pay online. Your credit is used first, automatically.</p>
      </div>
      <Shop services={services} overview={overview} idempotencyKey={randomUUID()} />
    </>
  );
}
