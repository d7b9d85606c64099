import type { Metadata } from "next";
import { ResetRequestForm } from "./reset-forms";

export const metadata: Metadata = { title: "Reset your password", referrer: "no-referrer" };

export default async function ResetRequestPage({ searchParams }: { searchParams: Promise<{ clinic?: string }> }) {
  const { clinic } = await searchParams;
  return (
    <>
      <h1 className="text-2xl font-bold text-slate-900">Reset your password</h1>
      <p className="text-slate-700">Enter the email address of your account. If it has one, we send a link that works once, for one hour.</p>
      <ResetRequestForm clinicSlug={typeof clinic === "string" && /^[a-z0-9-]{1,80}$/.test(clinic) ? clinic : null} />
    </>
  );
}
