import type { Metadata } from "next";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { currentActor } from "@/app/_auth/require";
import { Alert } from "@/app/_components/ui";
import { SIGNED_UP_COOKIE } from "../signup/[clinicSlug]/signed-up";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ started?: string }> }) {
  if (await currentActor()) redirect("/start");
  // Issue 13: a practice that just signed up; its address comes in a cookie, never in the URL (rule N3).
  const started = (await searchParams).started === "1";
  const email = started ? ((await cookies()).get(SIGNED_UP_COOKIE)?.value ?? "") : "";

  return (
    <>
      <div className="flex flex-col gap-2">
        <h1 className="text-3xl font-bold text-slate-900">Sign in</h1>
        <p className="text-slate-700">Patients, clinic teams and partners all sign in here. Patients can also use their clinic&apos;s own sign-in link.</p>
      </div>
      {started && (
        // Rule N6: the same words whether the sign-up made the practice or the address already had an account.
        <Alert tone="success">
          Thanks for starting a referral program. We&apos;ve sent a message to your email address: open the link in it to
          confirm the address. Sign in below to set up your practice meanwhile.
        </Alert>
      )}
      <SignInForm email={email || undefined} />
      <p className="text-sm text-slate-700">
        New patient? Use the invitation link from your friend or clinic to create your account.
      </p>
    </>
  );
}
