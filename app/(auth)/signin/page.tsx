import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentActor } from "@/app/_auth/require";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage() {
  if (await currentActor()) redirect("/start");

  return (
    <>
      <div className="flex flex-col gap-2">
        <h1 className="text-3xl font-bold text-slate-900">Sign in</h1>
        <p className="text-slate-700">Patients, clinic teams and partners all sign in here. Patients can also use their clinic&apos;s own sign-in link.</p>
      </div>
      <SignInForm />
      <p className="text-sm text-slate-700">
        New patient? Use the invitation link from your friend or clinic to create your account.
      </p>
    </>
  );
}
