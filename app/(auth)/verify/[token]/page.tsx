import type { Metadata } from "next";
import { VerifyButton } from "./verify-button";

export const metadata: Metadata = { title: "Confirm your email", referrer: "no-referrer", robots: { index: false } };

/** A button, not a visit: a mail scanner opening the link verifies nothing. */
export default async function VerifyPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <>
      <h1 className="text-2xl font-bold text-slate-900">Confirm your email</h1>
      <VerifyButton token={token} />
    </>
  );
}
