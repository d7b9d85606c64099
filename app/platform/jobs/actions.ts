"use server";

import { jobAction, jobIdOf } from "@/app/_components/job-action";
import { serverCaller } from "@/app/_trpc/server";

/** Rule A3: a platform admin retries one of the platform's own failed jobs. */
export async function retryPlatformJobAction(data: FormData): Promise<void> {
  await jobAction("/platform/jobs", "retried", async () => (await serverCaller()).platformJobs.retry({ jobId: jobIdOf(data) }));
}

/** Rule A3: a platform admin discards one of the platform's own failed jobs. */
export async function discardPlatformJobAction(data: FormData): Promise<void> {
  await jobAction("/platform/jobs", "discarded", async () => (await serverCaller()).platformJobs.discard({ jobId: jobIdOf(data) }));
}

/** Rule A3: sends a probe through the queue, to see that the workers take jobs. */
export async function sendProbeAction(): Promise<void> {
  await jobAction("/platform/jobs", "probed", async () => (await serverCaller()).platformJobs.probe());
}
