import type { Metadata } from "next";
import { TRPCReactProvider } from "@/app/_trpc/client";
import { ResendForm } from "./resend-form";

export const metadata: Metadata = { title: "Get your status link" };

/** Rule B5: a lost status link can be sent again, to the referrer's own address only. */
export default function ResendLink() {
  return (
    <main id="main" className="mx-auto max-w-xl px-5 py-8 sm:py-12">
      <h1 className="text-3xl font-bold text-slate-900">Get your status link</h1>
      <p className="mt-3 text-slate-700">Enter the email address you referred from. If we have referrals from it, we&apos;ll email it a new private link.</p>
      <div className="mt-6">
        <TRPCReactProvider>
          <ResendForm />
        </TRPCReactProvider>
      </div>
    </main>
  );
}
