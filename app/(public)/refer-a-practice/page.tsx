import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import Link from "next/link";
import { TRPCReactProvider } from "@/app/_trpc/client";
import { serverCaller } from "@/app/_trpc/server";
import { ReferralForm } from "./referral-form";

export const metadata: Metadata = { title: "Refer a practice" };

/** Rule B1: the public form. Signed-in clinic staff find themselves and their practice filled in. */
export default async function ReferAPractice() {
  const prefill = await (await serverCaller()).partner.prefill();
  return (
    <main id="main" className="mx-auto max-w-2xl px-5 py-8 sm:py-12">
      <h1 className="text-3xl font-bold text-slate-900">Refer a practice</h1>
      <p className="mt-3 text-slate-700">
        Know a practice that would benefit from our platform? Tell us about it. If they sign with us, you earn a reward for
        each practice you refer. Already referred someone?{" "}
        <Link href="/partners/status" className="font-medium text-brand-700 underline">
          Get your status link
        </Link>
        .
      </p>
      <div className="mt-8">
        <TRPCReactProvider>
          <ReferralForm prefill={prefill} idempotencyKey={randomUUID()} />
        </TRPCReactProvider>
      </div>
    </main>
  );
}
