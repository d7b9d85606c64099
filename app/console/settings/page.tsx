import type { Metadata } from "next";
import { currentActor } from "@/app/_auth/require";
import { serverCaller } from "@/app/_trpc/server";
import { BaaAcceptance } from "@/app/console/_components/baa-acceptance";
import { SettingsNav } from "./_components/settings-nav";
import { ProgramSettingsForm } from "./settings-form";
import { ProgramSettingsSummary } from "./settings-summary";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const caller = await serverCaller();
  const [actor, program, clinic, checklist, baa] = await Promise.all([currentActor(), caller.clinic.program(), caller.clinic.profile(), caller.dashboard.checklist(), caller.clinic.baa()]);
  // Issue 13: going live waits for a confirmed admin address.
  const waitsForEmail = checklist.some((step) => step.waitingFor === "email_confirmation");
  const termsHref = `/terms/${clinic.slug}`;
  return (
    <div className="flex max-w-2xl flex-col gap-6">
      {actor?.role === "admin" && <SettingsNav />}
      <div>
        <h1 className="text-2xl font-bold text-slate-900">Program settings</h1>
        <p className="mt-1 text-slate-700">
          Set what patients earn and when. Changes apply to referrals made from now on.
        </p>
      </div>
      <BaaAcceptance initial={baa} isAdmin={actor?.role === "admin"} />
      {actor?.role === "admin" ? (
        <ProgramSettingsForm initial={program} termsHref={termsHref} waitsForEmail={waitsForEmail} />
      ) : (
        <ProgramSettingsSummary program={program} termsHref={termsHref} />
      )}
    </div>
  );
}
