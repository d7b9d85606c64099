import type { Metadata } from "next";
import { StatusLink } from "./status-link";

export const metadata: Metadata = { title: "Referral received" };

/** Rule B5: the confirmation, with the referrer's private status link. */
export default function Confirmation() {
  return (
    <main id="main" className="mx-auto max-w-2xl px-5 py-8 sm:py-12">
      <h1 className="text-3xl font-bold text-slate-900">Thank you for your referral</h1>
      <p className="mt-3 text-slate-700">
        We&apos;ve received it, and we&apos;ve emailed you a confirmation. Our team reviews every referral and will keep
        you posted.
      </p>
      <StatusLink />
    </main>
  );
}
