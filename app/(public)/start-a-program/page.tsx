import type { Metadata } from "next";
import Link from "next/link";
import { TRPCReactProvider } from "@/app/_trpc/client";
import { env } from "@/server/env";
import { BAA_PATH, BAA_TITLE, SUBPROCESSORS_PATH } from "@/server/schemas/baa";
import { DEFAULT_TIME_ZONE, timeZoneChoices } from "@/server/schemas/time-zone";
import { StartProgramForm } from "./start-form";

export const metadata: Metadata = { title: "Start a referral program" };

/** Issue 13: a practice signs itself up, the clinic and its first admin in one step. */
export default function StartAProgram() {
  return (
    <main id="main" className="mx-auto max-w-2xl px-5 py-8 sm:py-12">
      <h1 className="text-3xl font-bold text-slate-900">Start a referral program</h1>
      <p className="mt-3 text-slate-700">
        Set up your practice in a few minutes. Your program starts paused: add your services and rewards, bring in your
        patients, then turn it on once you have confirmed your email address.
      </p>
      <p className="mt-2 text-slate-700">
        We store and send your patients&apos; data for you, so you accept our{" "}
        <Link href={BAA_PATH} className="font-medium text-brand-700 underline">
          {BAA_TITLE}
        </Link>{" "}
        as you sign up. See the{" "}
        <Link href={SUBPROCESSORS_PATH} className="font-medium text-brand-700 underline">
          services that may carry patient data
        </Link>
        .
      </p>
      <p className="mt-2 text-slate-700">
        Already set up?{" "}
        <Link href="/signin" className="font-medium text-brand-700 underline">
          Sign in
        </Link>
      </p>
      <div className="mt-8">
        <TRPCReactProvider>
          <StartProgramForm linkBase={`${env.APP_URL.replace(/\/$/, "")}/signup/`} timeZones={timeZoneChoices()} defaultTimeZone={DEFAULT_TIME_ZONE} />
        </TRPCReactProvider>
      </div>
    </main>
  );
}
