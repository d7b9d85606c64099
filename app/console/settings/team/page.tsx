import type { Metadata } from "next";
import { requireActor } from "@/app/_auth/require";
import { serverCaller } from "@/app/_trpc/server";
import { SettingsNav } from "../_components/settings-nav";
import { TeamWorkspace } from "./team-workspace";
import { TwoFactorRule } from "./two-factor-rule";

export const metadata: Metadata = { title: "Team" };

export default async function TeamPage() {
  const actor = await requireActor("admin");
  const caller = await serverCaller();
  const [team, twoFactor] = await Promise.all([caller.team.list(), caller.security.staffTwoFactor()]);
  return (
    <div className="flex max-w-3xl flex-col gap-6">
      <SettingsNav />
      <div>
        <h1 className="text-2xl font-bold text-slate-900">Team</h1>
        <p className="mt-1 text-slate-700">
          Invite staff and admins, change roles, and disable accounts. Every change is recorded in the audit log.
        </p>
      </div>
      <TeamWorkspace initial={team} selfId={actor.id} />
      <TwoFactorRule required={twoFactor.required} />
    </div>
  );
}
