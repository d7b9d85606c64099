import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatReward } from "@/server/schemas/money";
import { QUALIFYING_TEXT } from "@/app/_components/program-text";
import { getDb } from "@/server/db";
import { clinicBySlug, getProgram } from "@/server/services/programs/programs";

export const metadata: Metadata = { title: "Referral program terms" };

/** Rule P3: the default "Learn more" target, the clinic's program terms. */
export default async function ProgramTerms({ params }: { params: Promise<{ clinicSlug: string }> }) {
  const { clinicSlug } = await params;
  const db = await getDb();
  const clinic = await clinicBySlug({ db }, { slug: clinicSlug });
  if (!clinic) notFound();
  const program = await getProgram({ db, clinicId: clinic.id });
  return (
    <main id="main" className="mx-auto max-w-2xl px-5 py-10">
      <h1 className="text-3xl font-bold text-slate-900">{clinic.name} referral program</h1>
      {!program.enabled && <p className="mt-4 rounded-lg bg-amber-50 p-4 text-amber-900">The program is paused at the moment.</p>}
      <ol className="mt-6 list-decimal space-y-3 pl-6 text-slate-700">
        <li>Every patient has a personal invitation link in their patient portal.</li>
        <li>
          When a friend opens your link and creates a patient account within {program.version.attributionWindowDays} days, they
          are linked to you. Friends can also type your code when they sign up.
        </li>
        <li>
          After your friend&apos;s first {QUALIFYING_TEXT[program.version.qualifyingEvent]}, you receive{" "}
          {formatReward(program.version.referrerRewardKind === "credit" ? { kind: "credit", amount: program.version.referrerRewardAmount } : { kind: program.version.referrerRewardKind, amount: program.version.referrerRewardAmount })}{" "}
          and your friend receives {formatReward({ kind: program.version.refereeRewardKind, amount: program.version.refereeRewardAmount })}.
        </li>
        <li>Credits are applied to your next order by themselves. They have no cash value.</li>
        <li>Referring yourself, or someone who is already a patient here, earns no credit.</li>
      </ol>
      {program.version.termsText && (
        <section className="mt-8">
          <h2 className="text-xl font-semibold text-slate-900">Program terms (version {program.version.termsVersion})</h2>
          <p className="mt-3 whitespace-pre-line text-slate-700">{program.version.termsText}</p>
        </section>
      )}
      <p className="mt-8 text-slate-700">
        Already a patient of {clinic.name}?{" "}
        {/* Rule N6: the clinic's own sign-in, for the account at this clinic. */}
        <Link href={`/signin/${clinic.slug}`} className="font-medium text-brand-700 underline">
          Sign in to your patient portal
        </Link>
      </p>
    </main>
  );
}
