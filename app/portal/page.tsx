import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { formatCents } from "@/app/_components/format";
import { Alert, Card } from "@/app/_components/ui";
import { serverCaller } from "@/app/_trpc/server";
import { offerSentence, shareMessage } from "./_components/offer";
import { ReferralLinkCard } from "./_components/referral-link-card";
import { MilestoneProgress } from "./_components/milestone-progress";
import { ReferralList } from "./_components/referral-list";
import { TermsAcceptance } from "./_components/terms-acceptance";

export const metadata: Metadata = { title: "Refer a friend" };

/** The origin the patient reached us on, so the link they share works from where they are. */
async function requestOrigin(): Promise<string> {
  const h = await headers();
  const host = (h.get("x-forwarded-host") ?? h.get("host") ?? "localhost:3000").split(",")[0]?.trim();
  const proto = h.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https" ? "https" : "http";
  return `${proto}://${host}`;
}

/** Rules P3 and P15: the patient's link, balance and referrals. */
export default async function ReferPage() {
  const [overview, origin] = await Promise.all([(await serverCaller()).portal.overview(), requestOrigin()]);

  return (
    <>
      <div className="flex flex-col gap-2">
        <h1 className="text-2xl font-bold text-slate-900">Refer a friend</h1>
        <p className="text-lg text-slate-800">{offerSentence(overview)}</p>
        <a href={overview.learnMoreHref} className="min-h-11 self-start content-center font-medium text-brand-700 underline underline-offset-4">
          Learn more about the program
        </a>
      </div>

      {!overview.programEnabled && (
        // Rule P1: paused programs create no new rewards, but earned credit still works.
        <Alert tone="info">
          <p className="font-semibold">The referral program is paused for now.</p>
          <p className="mt-1">
            New referrals won&apos;t earn rewards until {overview.clinicName} restarts it. Any credit you already have still
            works on your next order.
          </p>
        </Alert>
      )}

      {!overview.termsAccepted ? (
        // Rule P14: the current terms are accepted before the link can be shared; until then there is no code to show.
        <TermsAcceptance version={overview.termsVersion} text={overview.termsText} clinicName={overview.clinicName} />
      ) : overview.code ? (
        <ReferralLinkCard
          origin={origin}
          code={overview.code}
          clinicName={overview.clinicName}
          message={shareMessage(overview.clinicName, overview, overview.programEnabled)}
        />
      ) : (
        <Card title="Your referral link">
          <p className="text-slate-700">Your link isn&apos;t available right now. Please ask {overview.clinicName} for help.</p>
        </Card>
      )}

      <Card title="Your credit">
        <p className="text-3xl font-bold text-slate-900" data-testid="credit-balance">
          {formatCents(overview.balanceCents)}
        </p>
        <p className="mt-1 text-sm text-slate-700">Credit is applied automatically to your next order.</p>
        {overview.pointsBalance > 0 && (
          <p className="mt-3 text-slate-900">
            Loyalty points: <strong data-testid="points-balance">{overview.pointsBalance.toLocaleString("en-US")}</strong>
          </p>
        )}
        <Link href="/portal/credits" className="mt-2 inline-flex min-h-11 items-center font-medium text-brand-700 underline underline-offset-4">
          See your credit history
        </Link>
      </Card>

      <MilestoneProgress milestones={overview.milestones} qualified={overview.qualifiedReferrals} />

      <ReferralList />
    </>
  );
}
