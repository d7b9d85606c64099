import type { Metadata } from "next";
import { NewPasswordForm } from "../reset-forms";

export const metadata: Metadata = { title: "Choose a new password", referrer: "no-referrer", robots: { index: false } };

export default async function ResetPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <>
      <h1 className="text-2xl font-bold text-slate-900">Choose a new password</h1>
      <p className="text-slate-700">Saving it signs your account out everywhere, so whoever knew the old password is out too.</p>
      <NewPasswordForm token={token} />
    </>
  );
}
