import type { Metadata } from "next";
import { requireActor } from "@/app/_auth/require";
import { serverCaller } from "@/app/_trpc/server";
import { SettingsNav } from "../_components/settings-nav";
import { ProfileForm } from "./profile-form";

export const metadata: Metadata = { title: "Clinic profile" };

export default async function ProfilePage() {
  await requireActor("admin");
  const profile = await (await serverCaller()).clinic.clinicProfile();
  return (
    <div className="flex max-w-2xl flex-col gap-6">
      <SettingsNav />
      <div>
        <h1 className="text-2xl font-bold text-slate-900">Clinic profile</h1>
        <p className="mt-1 text-slate-700">How your clinic appears on its referral landing page, in the patient portal and in emails.</p>
      </div>
      <ProfileForm initial={profile} />
    </div>
  );
}
