import type { Metadata } from "next";
import { ClinicBrand } from "@/app/(auth)/_components/clinic-brand";
import { cookies } from "next/headers";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { currentActor } from "@/app/_auth/require";
import { Alert } from "@/app/_components/ui";
import { getDb } from "@/server/db";
import { clinicBySlug } from "@/server/services/programs/programs";
import { SIGNED_UP_COOKIE } from "../../signup/[clinicSlug]/signed-up";
import { SignInForm } from "../sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

/** Rule N6: a clinic's own sign-in, for the account this email has at this clinic. */
export default async function ClinicSignInPage({ params, searchParams }: { params: Promise<{ clinicSlug: string }>; searchParams: Promise<{ welcome?: string }> }) {
  const { clinicSlug } = await params;
  const clinic = await clinicBySlug({ db: await getDb() }, { slug: clinicSlug });
  if (!clinic) notFound();
  if (await currentActor()) redirect("/start");
  const welcome = (await searchParams).welcome === "1";
  // Set by sign-up, so the address need not be typed twice and never travels in the URL (rule N3).
  const email = welcome ? ((await cookies()).get(SIGNED_UP_COOKIE)?.value ?? "") : "";

  return (
    <ClinicBrand clinic={clinic}>
      <div className="flex flex-col gap-2">
        <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">{clinic.name}</p>
        <h1 className="text-3xl font-bold text-slate-900">Sign in</h1>
      </div>
      {welcome && (
        // Rule N6: the same words whether the sign-up made an account or the email already had one.
        <Alert tone="success">
          Thanks for signing up. We&apos;ve sent a message to your email address. Sign in below with your email and password to
          open your patient portal.
        </Alert>
      )}
      <SignInForm clinic={clinic.slug} email={email} />
      <div className="flex flex-col gap-2 text-sm text-slate-700">
        <p>
          New patient?{" "}
          <Link href={`/signup/${clinic.slug}`} className="font-medium text-brand-700 underline">
            Create your account at {clinic.name}
          </Link>
        </p>
        <p>
          Clinic team or partner?{" "}
          <Link href="/signin" className="font-medium text-brand-700 underline">
            Sign in here
          </Link>
        </p>
      </div>
    </ClinicBrand>
  );
}
