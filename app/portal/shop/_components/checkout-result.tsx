"use client";

import Link from "next/link";
import { formatCents } from "@/app/_components/format";
import type { CheckoutErrors, CheckoutResult } from "./checkout-form";

/**
 * The answer to a checkout, in live regions that are always on the page so the change is
 * announced: good news politely, a decline or an error at once.
 */
export function CheckoutResultRegions({ result, errors }: { result: CheckoutResult | null; errors: CheckoutErrors }) {
  const problem = result?.status === "declined" ? result.declineReason ?? "Your card was declined." : (errors.form ?? errors.items ?? null);
  return (
    <>
      <div role="status">
        {result?.status === "paid" && (
          <div className="rounded-lg border border-emerald-300 bg-emerald-50 px-4 py-3 text-sm text-emerald-900">
            <p className="font-semibold">Payment complete. Thank you!</p>
            <dl className="mt-2 grid grid-cols-[1fr_auto] gap-x-3 gap-y-0.5 tabular-nums">
              <dt>Total</dt>
              <dd className="text-right">{formatCents(result.totalCents)}</dd>
              <dt>Credit applied</dt>
              <dd className="text-right">{formatCents(result.creditAppliedCents)}</dd>
              <dt>Charged{result.cardLast4 ? ` to card ending ${result.cardLast4}` : ""}</dt>
              <dd className="text-right font-semibold">{formatCents(result.chargedCents)}</dd>
            </dl>
            <Link href="/portal/orders" className="mt-2 inline-flex min-h-11 items-center font-medium underline underline-offset-4">
              View your orders
            </Link>
          </div>
        )}
        {result?.status === "pending" && (
          <p className="rounded-lg border border-sky-300 bg-sky-50 px-4 py-3 text-sm text-sky-900">
            Your payment is processing. Check your orders in a moment before trying again.
          </p>
        )}
      </div>
      <div role="alert">
        {problem && (
          <div className="rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900">
            <p className="font-semibold">{result?.status === "declined" ? "Payment declined" : "We couldn't place your order"}</p>
            <p className="mt-1">{problem}</p>
            {result?.status === "declined" && (
              <p className="mt-1">Nothing was charged and your credit is still in your balance. Check the card details or use another card.</p>
            )}
          </div>
        )}
      </div>
    </>
  );
}
