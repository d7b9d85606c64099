import type { Metadata } from "next";
import { ClinicBrand } from "@/app/(auth)/_components/clinic-brand";
import { cookies } from "next/headers";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/server/db";
import { clinicBySlug, getProgram, learnMoreHref } from "@/server/services/programs/programs";
import { attributionCookieName, parseAttributionCookie } from "@/server/services/referrals/referrals";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create your account" };

export default async function SignUpPage({ params }: { params: Promise<{ clinicSlug: string }> }) {
  const { clinicSlug } = await params;
  const db = await getDb();
  const clinic = await clinicBySlug({ db }, { slug: clinicSlug });
  if (!clinic) notFound();
  const program = await getProgram({ db, clinicId: clinic.id });
  // Rule P5: the code from the invitation link comes along, read here because the cookie is httpOnly.
  const invitedCode = parseAttributionCookie((await cookies()).get(attributionCookieName(clinic.slug))?.value)?.code ?? "";

  return (
    <ClinicBrand clinic={clinic}>
      <div className="flex flex-col gap-2">
        <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">{clinic.name}</p>
        <h1 className="text-3xl font-bold text-slate-900">Create your patient account</h1>
        <p className="text-slate-700">It takes a minute. You can see your visits, credits and invitations once you&apos;re in.</p>
      </div>
      <SignUpForm
        clinicSlug={clinic.slug}
        invitedCode={invitedCode}
        // Rule P1: a paused program promises no welcome credit.
        welcomeCreditCents={program.enabled && program.version.refereeRewardKind === "credit" ? program.version.refereeRewardAmount : 0}
      />
      <div className="flex flex-col gap-2 text-sm text-slate-700">
        <p>
          Already have an account at {clinic.name}?{" "}
          <Link href={`/signin/${clinic.slug}`} className="font-medium text-brand-700 underline">
            Sign in
          </Link>
        </p>
        <p>
          <a href={learnMoreHref(program.version, clinic.slug)} className="font-medium text-brand-700 underline">
            How {clinic.name}&apos;s referral program works
          </a>
        </p>
      </div>
    </ClinicBrand>
  );
}
