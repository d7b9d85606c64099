import type { Metadata } from "next";
import { FailedJobs, isJobNotice } from "@/app/_components/failed-jobs";
import { Button, Card } from "@/app/_components/ui";
import { serverCaller } from "@/app/_trpc/server";
import { discardPlatformJobAction, retryPlatformJobAction, sendProbeAction } from "./actions";

export const metadata: Metadata = { title: "Jobs" };

const when = (date: Date) => `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** Rule A3: the platform's own background jobs that ran out of retries, and a check that the workers run. */
export default async function PlatformJobsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { notice } = await searchParams;
  const caller = await serverCaller();
  const [jobs, probe] = await Promise.all([caller.platformJobs.failed(), caller.platformJobs.latestProbe()]);
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-bold text-slate-900">Jobs</h1>
        <p className="mt-1 text-slate-700">
          The platform&apos;s own background work (reconciliation, the partner program&apos;s daily and monthly runs). Jobs that still failed after
          their retries stay here for 30 days. Each clinic sees its own in its console.
        </p>
      </div>

      <Card title="Worker check">
        <form action={sendProbeAction} className="flex flex-col gap-3">
          <p className="text-slate-800">
            {!probe
              ? "No check was sent yet."
              : probe.workedAt
                ? `The last check, sent ${when(probe.createdAt)}, was taken by a worker at ${when(probe.workedAt)}.`
                : `The last check, sent ${when(probe.createdAt)}, has not been taken by a worker yet.`}
          </p>
          <Button type="submit" variant="secondary" className="self-start">
            Send a worker check
          </Button>
        </form>
      </Card>

      <section aria-labelledby="failed-heading" className="flex flex-col gap-3">
        <h2 id="failed-heading" className="text-lg font-semibold text-slate-900">
          Failed jobs
        </h2>
        <FailedJobs jobs={jobs} notice={isJobNotice(notice) ? notice : null} retry={retryPlatformJobAction} discard={discardPlatformJobAction} />
      </section>
    </div>
  );
}
