import type { Metadata } from "next";
import Link from "next/link";
import { formatCents, formatDate } from "@/app/_components/format";
import { Alert, StatusBadge } from "@/app/_components/ui";
import { TRPCReactProvider } from "@/app/_trpc/client";
import { serverCaller } from "@/app/_trpc/server";
import { ConfirmAddress } from "./confirm-address";

export const metadata: Metadata = { title: "Your practice referrals", referrer: "no-referrer" };

const TONE = { submitted: "neutral", under_review: "neutral", accepted: "good", won: "good", rejected: "bad", duplicate: "warn", lost: "warn", expired: "warn" } as const;
const LABEL = { submitted: "Received", under_review: "Under review", accepted: "Accepted", won: "Won", rejected: "Not accepted", duplicate: "Already referred", lost: "Closed", expired: "Expired" } as const;

/** Rule B5: every referral of the link's owner (an emailed link), or the one submission a confirmation link is for. */
export default async function PartnerStatus({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const status = await (await serverCaller()).partner.status({ token }).catch(() => null);
  if (!status) {
    return (
      <main id="main" className="mx-auto max-w-2xl px-5 py-8 sm:py-12">
        <h1 className="text-3xl font-bold text-slate-900">Link not valid</h1>
        <p className="mt-3 text-slate-700">This status link isn&apos;t valid. You can ask for a new one with the email address you referred from.</p>
        <Link href="/partners/status" className="mt-4 inline-block font-semibold text-brand-700 underline">
          Send me a new link
        </Link>
      </main>
    );
  }
  const earned = status.referrals.reduce((t, r) => t + r.earnedCents, 0);
  return (
    <main id="main" className="mx-auto max-w-3xl px-5 py-8 sm:py-12">
      <h1 className="text-3xl font-bold text-slate-900">{status.scope === "submission" ? "Your practice referral" : "Your practice referrals"}</h1>
      {status.scope === "submission" ? (
        <p className="mt-2 text-slate-700">
          Hi {status.referrerName}. Here is where the referral you sent stands. The link to every practice referred from your email address is in the
          confirmation email we sent to it.
        </p>
      ) : (
        <p className="mt-2 text-slate-700">Hi {status.referrerName}. Here is every practice you&apos;ve referred and where each one stands.</p>
      )}
      {status.confirmation && (
        <TRPCReactProvider>
          <ConfirmAddress token={token} details={status.confirmation} />
        </TRPCReactProvider>
      )}
      <p className="mt-4 text-lg text-slate-900" role="status">
        Earned so far: <strong>{formatCents(earned)}</strong>
      </p>
      {status.referrals.length === 0 ? (
        <Alert tone="info">You haven&apos;t referred a practice yet.</Alert>
      ) : (
        <ul className="mt-6 flex flex-col gap-4">
          {status.referrals.map((r) => (
            <li key={r.id} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <h2 className="text-lg font-semibold text-slate-900">{r.practiceName}</h2>
                <StatusBadge tone={TONE[r.status as keyof typeof TONE] ?? "neutral"}>{LABEL[r.status as keyof typeof LABEL] ?? r.status}</StatusBadge>
              </div>
              <p className="text-sm text-slate-600">
                {r.city} · referred {formatDate(r.submittedAt)}
              </p>
              <p className="mt-2 text-slate-800">{r.statusText}</p>
              {r.reason && <p className="mt-1 text-slate-800">Reason: {r.reason}</p>}
              {r.earnedCents > 0 && (
                <p className="mt-2 text-slate-800" data-testid="earned">
                  Earned {formatCents(r.earnedCents)}
                  {r.paidCents > 0 ? `, of which ${formatCents(r.paidCents)} paid` : ", to be paid in the next monthly payout"}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
      <Link href="/refer-a-practice" className="mt-8 inline-block font-semibold text-brand-700 underline">
        Refer another practice
      </Link>
    </main>
  );
}
