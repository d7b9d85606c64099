import type { Metadata } from "next";
import { requireActor } from "@/app/_auth/require";
import { FailedJobs, isJobNotice } from "@/app/_components/failed-jobs";
import { serverCaller } from "@/app/_trpc/server";
import { discardJobAction, retryJobAction } from "./actions";

export const metadata: Metadata = { title: "Failed jobs" };

/** Rule A3: the clinic's jobs that ran out of retries (messages, runs), to retry or discard. */
export default async function FailedJobsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireActor("admin");
  const { notice } = await searchParams;
  const jobs = await (await serverCaller()).jobs.failed();
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-bold text-slate-900">Failed jobs</h1>
        <p className="mt-1 text-slate-700">
          Work the system does in the background for your clinic, such as scheduled runs, is tried several times with growing pauses. What still
          failed is listed here for 30 days: retry it once the cause is fixed, or discard it.
        </p>
      </div>
      <FailedJobs jobs={jobs} notice={isJobNotice(notice) ? notice : null} retry={retryJobAction} discard={discardJobAction} />
    </div>
  );
}
