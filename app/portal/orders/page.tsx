import type { Metadata } from "next";
import Link from "next/link";
import { OrderList } from "./_components/order-list";

export const metadata: Metadata = { title: "Orders" };

export default function OrdersPage() {
  return (
    <>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-bold text-slate-900">Your orders</h1>
        <Link href="/portal/shop" className="inline-flex min-h-11 items-center font-medium text-brand-700 underline underline-offset-4">
          Book &amp; pay
        </Link>
      </div>
      <OrderList />
    </>
  );
}
