import type { Metadata } from "next";
import { RunsTable } from "@/app/_components/runs-table";
import { serverCaller } from "@/app/_trpc/server";
import { env } from "@/server/env";
import { PageHeading } from "../_components/table";

export const metadata: Metadata = { title: "Runs" };

/** Rule A6: the platform's own scheduled runs: reconciliation, the partner program's daily run, monthly payouts. */
export default async function PlatformRuns() {
  const runs = await (await serverCaller()).runs.platform();
  return (
    <div className="flex flex-col gap-6">
      <PageHeading title="Scheduled runs">
        The platform&apos;s runs ({env.PLATFORM_TIME_ZONE.replaceAll("_", " ")} time): pending-order reconciliation every 5 minutes, the daily run at 3 a.m., the
        payout run on the 1st for the month before. A failed run is tried again automatically.
      </PageHeading>
      <RunsTable runs={runs} timeZone={env.PLATFORM_TIME_ZONE} caption={`The latest ${runs.length} run(s), newest first, up to 20 of each kind`} />
    </div>
  );
}
