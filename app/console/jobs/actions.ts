"use server";

import { jobAction, jobIdOf } from "@/app/_components/job-action";
import { serverCaller } from "@/app/_trpc/server";

/** Rule A3: a clinic admin retries one of the clinic's failed jobs. */
export async function retryJobAction(data: FormData): Promise<void> {
  await jobAction("/console/jobs", "retried", async () => (await serverCaller()).jobs.retry({ jobId: jobIdOf(data) }));
}

/** Rule A3: a clinic admin discards one of the clinic's failed jobs. */
export async function discardJobAction(data: FormData): Promise<void> {
  await jobAction("/console/jobs", "discarded", async () => (await serverCaller()).jobs.discard({ jobId: jobIdOf(data) }));
}
