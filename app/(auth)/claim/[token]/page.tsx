import type { Metadata } from "next";
import { NewPasswordForm } from "../../reset/reset-forms";

export const metadata: Metadata = { title: "Choose your password", referrer: "no-referrer", robots: { index: false } };

/** Issue 13: a patient the clinic added (at the desk or by import) claims their portal account from the emailed link. */
export default async function ClaimPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <>
      <h1 className="text-2xl font-bold text-slate-900">Choose your password</h1>
      <p className="text-slate-700">Your clinic made your patient portal account. Choose a password to open it: your referral link, your credit and your visits are there.</p>
      <NewPasswordForm token={token} purpose="claim" />
    </>
  );
}
