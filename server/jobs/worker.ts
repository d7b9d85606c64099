import PgBoss from "pg-boss";
import type { DbHandle } from "@/db/client";
import { systemActor } from "@/server/events/actor";
import { env } from "@/server/env";
import { logError } from "@/server/log";
import { channelsFromEnv, type MessageChannels } from "@/server/messaging/channels";
import type { PaymentProvider } from "@/server/services/payments";
import { type BossTiming, bossConfig, PRODUCTION_TIMING } from "./boss";
import { HANDLERS, type JobContext } from "./handlers";
import { QUEUES, QUEUE_NAMES, type QueueName } from "./queues";

export type WorkerOptions = {
  payments: PaymentProvider;
  /** Where messages leave; the environment's (SMTP_URL, TWILIO_*) unless given. */
  channels?: MessageChannels;
  timing?: BossTiming;
  /** Jobs of one queue worked at once by this process. */
  concurrency?: number;
  queues?: readonly QueueName[];
};

export type Workers = { boss: PgBoss; stop: () => Promise<void> };

/**
 * Rule A3: works the app's queues. Any number of processes may run this against one database:
 * pg-boss claims each job with `FOR UPDATE SKIP LOCKED`, so one of them works it at a time, and
 * a job whose worker died is failed over to a retry once its expiry passes.
 */
export async function startWorkers(handle: DbHandle, options: WorkerOptions): Promise<Workers> {
  const timing = options.timing ?? PRODUCTION_TIMING;
  const boss = new PgBoss({ ...bossConfig(handle.executeSql, timing), migrate: false });
  boss.on("error", (error) => logError("queue", error));
  await boss.start();
  const channels = options.channels ?? channelsFromEnv(env);
  for (const name of options.queues ?? QUEUE_NAMES) {
    const { batchSize } = QUEUES[name].policy;
    for (let i = 0; i < (options.concurrency ?? 1); i++) {
      let workerId = "";
      workerId = await boss.work(name, { pollingIntervalSeconds: timing.pollingIntervalSeconds, includeMetadata: true, batchSize }, async (jobs) => {
        if (batchSize === 1) {
          if (jobs[0]) await workOne(handle, { payments: options.payments, channels }, name, jobs[0]);
          return;
        }
        // Each job of a batch succeeds or fails alone: a failed one is retried, the others complete.
        const results = await Promise.allSettled(jobs.map((job) => workOne(handle, { payments: options.payments, channels }, name, job)));
        const failed = jobs.filter((_, i) => results[i]?.status === "rejected").map((job) => job.id);
        if (failed.length) await boss.fail(name, failed);
        // A full batch means more are waiting: fetch again at once instead of after the polling interval.
        if (jobs.length === batchSize && workerId) boss.notifyWorker(workerId);
      });
    }
  }
  return {
    boss,
    stop: async () => {
      await boss.stop({ graceful: true, close: false, wait: true, timeout: 20_000 });
      if (!options.channels) channels.email?.close();
    },
  };
}

async function workOne(handle: DbHandle, deps: Pick<JobContext, "payments" | "channels">, name: QueueName, job: PgBoss.JobWithMetadata<unknown>) {
  const data = QUEUES[name].schema.parse(job.data);
  const context: JobContext = { db: handle.db, ...deps, actor: systemActor(name, data.clinicId), job: { id: job.id, name, retryCount: job.retryCount, retryLimit: job.retryLimit } };
  try {
    await (HANDLERS[name] as (data: unknown, context: JobContext) => Promise<void>)(data, context);
  } catch (error) {
    logError(`job:${name}`, error, { job: job.id, attempt: job.retryCount + 1 });
    throw error;
  }
}
