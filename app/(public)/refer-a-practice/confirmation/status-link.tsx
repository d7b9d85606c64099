"use client";

import Link from "next/link";
import { useSyncExternalStore } from "react";
import { Alert } from "@/app/_components/ui";

const subscribe = (onChange: () => void) => {
  window.addEventListener("hashchange", onChange);
  return () => window.removeEventListener("hashchange", onChange);
};

/**
 * The token arrives in the fragment, so it never reaches a server log. It shows this referral
 * only: the link to every referral made from an address goes to that address (item 8 of issue 7).
 */
export function StatusLink() {
  const token = useSyncExternalStore(subscribe, () => window.location.hash.slice(1), () => "");
  if (!token) return null;
  return (
    <div className="mt-6 flex flex-col gap-3">
      <Alert tone="success">
        <p>The link below shows the referral you just sent. The link to every referral made from your email address is in the email we sent to that address.</p>
      </Alert>
      <Link href={`/partners/status/${token}`} className="font-semibold text-brand-700 underline">
        See the status of this referral
      </Link>
      <p className="text-sm text-slate-600">Keep the link private: anyone who has it can see this referral.</p>
      <Link href="/refer-a-practice" className="text-sm text-brand-700 underline">
        Refer another practice
      </Link>
    </div>
  );
}
