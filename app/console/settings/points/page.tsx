import type { Metadata } from "next";
import { requireActor } from "@/app/_auth/require";
import { serverCaller } from "@/app/_trpc/server";
import { SettingsNav } from "../_components/settings-nav";
import { PointsConversionForm } from "./points-form";

export const metadata: Metadata = { title: "Points" };

/** Rule P8: how the clinic's loyalty points turn into credit. */
export default async function PointsSettingsPage() {
  await requireActor("admin");
  const current = await (await serverCaller()).clinic.pointConversion();
  return (
    <div className="flex max-w-2xl flex-col gap-6">
      <SettingsNav />
      <div>
        <h1 className="text-2xl font-bold text-slate-900">Points</h1>
        <p className="mt-1 text-slate-700">Let patients turn the loyalty points they earned into credit for their next order.</p>
      </div>
      <PointsConversionForm initial={current ?? { enabled: false, points: 100, creditCents: 500, minimumPoints: 500 }} />
    </div>
  );
}
