import type { Metadata } from "next";
import { requireActor } from "@/app/_auth/require";
import { RunsTable } from "@/app/_components/runs-table";
import { serverCaller } from "@/app/_trpc/server";
import { timeZoneChoices } from "@/server/schemas/time-zone";
import { SettingsNav } from "../_components/settings-nav";
import { TimeZoneForm } from "./time-zone-form";

export const metadata: Metadata = { title: "Schedule" };

/** Rule A6: the clinic's time zone and its recent scheduled runs (admins only). */
export default async function SchedulePage() {
  await requireActor("admin");
  const caller = await serverCaller();
  const [{ timeZone }, runs] = await Promise.all([caller.clinic.timeZone(), caller.runs.clinic()]);
  return (
    <div className="flex max-w-4xl flex-col gap-6">
      <SettingsNav />
      <div>
        <h1 className="text-2xl font-bold text-slate-900">Schedule</h1>
        <p className="mt-1 text-slate-700">The clinic&apos;s time zone, and what the scheduled runs did lately. A failed run is tried again automatically.</p>
      </div>
      <TimeZoneForm timeZone={timeZone} choices={["UTC", ...timeZoneChoices()]} />
      <section aria-labelledby="runs-heading" className="flex flex-col gap-3">
        <h2 id="runs-heading" className="text-lg font-semibold text-slate-900">
          Recent runs
        </h2>
        <RunsTable runs={runs} timeZone={timeZone} caption={`The latest ${runs.length} run(s), newest first`} />
      </section>
    </div>
  );
}
