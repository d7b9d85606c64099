import type { Metadata } from "next";
import { CreditHistory } from "./_components/credit-history";

export const metadata: Metadata = { title: "Credits" };

export default function CreditsPage() {
  return (
    <>
      <h1 className="text-2xl font-bold text-slate-900">Your credits</h1>
      <CreditHistory />
    </>
  );
}
