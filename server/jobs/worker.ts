import PgBoss from "pg-boss";
import type { DbHandle } from "@/db/client";
import { systemActor } from "@/server/events/actor";
import { logError } from "@/server/log";
import type { PaymentProvider } from "@/server/services/payments";
import { type BossTiming, bossConfig, PRODUCTION_TIMING } from "./boss";
import { HANDLERS, type JobContext } from "./handlers";
import { QUEUES, QUEUE_NAMES, type QueueName } from "./queues";
import { TICK_CRON } from "./schedule";

export type WorkerOptions = {
  payments: PaymentProvider;
  timing?: BossTiming;
  /** Jobs of one queue worked at once by this process. */
  concurrency?: number;
  queues?: readonly QueueName[];
  /** Rule A6: this process also keeps the scheduler's cron (stored in the database, fired once across instances). */
  schedule?: boolean;
};

export type Workers = { boss: PgBoss; stop: () => Promise<void> };

/**
 * Rule A3: works the app's queues. Any number of processes may run this against one database:
 * pg-boss claims each job with `FOR UPDATE SKIP LOCKED`, so one of them works it at a time, and
 * a job whose worker died is failed over to a retry once its expiry passes.
 */
export async function startWorkers(handle: DbHandle, options: WorkerOptions): Promise<Workers> {
  const timing = options.timing ?? PRODUCTION_TIMING;
  const boss = new PgBoss({ ...bossConfig(handle.executeSql, timing), migrate: false, schedule: options.schedule ?? false });
  boss.on("error", (error) => logError("queue", error));
  await boss.start();
  if (options.schedule) await boss.schedule("runs.tick", TICK_CRON, { clinicId: null });
  for (const name of options.queues ?? QUEUE_NAMES) {
    for (let i = 0; i < (options.concurrency ?? 1); i++) {
      const policy: { batchSize: number; pollingIntervalSeconds?: number } = QUEUES[name].policy;
      const pollingIntervalSeconds = Math.min(timing.pollingIntervalSeconds, policy.pollingIntervalSeconds ?? Infinity);
      await boss.work(name, { pollingIntervalSeconds, includeMetadata: true, batchSize: policy.batchSize }, async (jobs) => {
        if (jobs.length === 1 && jobs[0]) return workOne(handle, options.payments, name, jobs[0]);
        // A batch: each job succeeds or fails alone. pg-boss completes the batch's jobs still active
        // once this returns, so the failed ones are failed (and retried) first.
        const results = await Promise.allSettled(jobs.map((job) => workOne(handle, options.payments, name, job)));
        for (const [i, result] of results.entries()) {
          const job = jobs[i];
          if (job && result.status === "rejected") await boss.fail(name, job.id, { message: "the job failed (see the log)" });
        }
      });
    }
  }
  return { boss, stop: () => boss.stop({ graceful: true, close: false, wait: true, timeout: 20_000 }) };
}

async function workOne(handle: DbHandle, payments: PaymentProvider, name: QueueName, job: PgBoss.JobWithMetadata<unknown>) {
  const data = QUEUES[name].schema.parse(job.data);
  const context: JobContext = { db: handle.db, payments, actor: systemActor(name, data.clinicId), job: { id: job.id, name, retryCount: job.retryCount } };
  try {
    await (HANDLERS[name] as (data: unknown, context: JobContext) => Promise<void>)(data, context);
  } catch (error) {
    logError(`job:${name}`, error, { job: job.id, attempt: job.retryCount + 1 });
    throw error;
  }
}
