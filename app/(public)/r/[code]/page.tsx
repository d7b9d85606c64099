import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { linkButtonClass } from "@/app/_components/ui";
import { formatCents } from "@/app/_components/format";
import { getDb } from "@/server/db";
import { resolveLanding } from "@/server/services/referrals";

export const metadata: Metadata = { title: "You're invited" };

/** Rules P1 and P4: the invitation behind every shared link. The click is recorded in proxy.ts. */
export default async function ReferralLanding({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const landing = await resolveLanding(await getDb(), code);
  if (landing.kind === "unknown" || landing.kind === "rotated") notFound();

  const { clinic } = landing;
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-lg flex-col justify-center gap-6 px-5 py-10">
      <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">{clinic.name}</p>
      {landing.kind === "paused" ? (
        <>
          <h1 className="text-3xl font-bold text-slate-900">Our referral program is taking a break</h1>
          <p className="text-lg text-slate-700">
            {clinic.name} isn&apos;t running its referral program right now, so this invitation doesn&apos;t carry a welcome
            credit. You&apos;re still very welcome to become a patient.
          </p>
          <Link href={`/signup/${clinic.slug}`} className={linkButtonClass}>
            Create your patient account
          </Link>
        </>
      ) : (
        <>
          <h1 className="text-3xl font-bold text-slate-900">A friend invited you to {clinic.name}</h1>
          <p className="text-lg text-slate-700">
            Create your patient account and book your first visit.
            {landing.refereeRewardCents > 0 && (
              <>
                {" "}
                After your first paid visit you get a <strong>{formatCents(landing.refereeRewardCents)} credit</strong>{" "}
                toward your next one, and your friend gets a thank-you too.
              </>
            )}
          </p>
          <Link href={`/signup/${clinic.slug}`} className={linkButtonClass}>
            Accept the invitation and sign up
          </Link>
          <p className="text-sm text-slate-600">
            Your invitation code is <span className="font-mono font-semibold tracking-wider">{landing.code}</span>. It
            stays with you for {landing.attributionWindowDays} days on this device.{" "}
            <a href={landing.learnMoreHref} className="font-medium text-brand-700 underline">
              How the program works
            </a>
          </p>
          <p className="text-sm text-slate-600">
            Already a patient?{" "}
            <Link href="/signin" className="font-medium text-brand-700 underline">
              Sign in
            </Link>
          </p>
        </>
      )}
    </main>
  );
}
