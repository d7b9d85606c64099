import PgBoss from "pg-boss";
import type { DbHandle, ExecuteSql } from "@/db/client";
import { systemActor } from "@/server/events/actor";
import { env } from "@/server/env";
import { logError, summarizeError } from "@/server/log";
import { channelsFromEnv, type MessageChannels } from "@/server/messaging/channels";
import type { PaymentProvider } from "@/server/services/orders/payment-provider";
import { type BossTiming, bossConfig, PRODUCTION_TIMING } from "@/server/queue/boss";
import { HANDLERS, type JobContext } from "./handlers";
import { JobError } from "@/server/queue/job-error";
import { QUEUES, QUEUE_NAMES, type QueueName } from "@/server/queue/names";
import { TICK_CRON } from "./schedule";

export type WorkerOptions = {
  payments: PaymentProvider;
  /** Where messages leave; the environment's (SMTP_URL, TWILIO_*) unless given. */
  channels?: MessageChannels;
  timing?: BossTiming;
  /** Pollers per queue in this process. */
  concurrency?: number;
  /**
   * Jobs one poller takes per poll, worked side by side. pg-boss waits a full polling interval
   * between polls, so a queue's throughput per poller is `batchSize / pollingIntervalSeconds`.
   */
  batchSize?: number;
  queues?: readonly QueueName[];
  /** Rule A6: this process also keeps the scheduler's cron (stored in the database, fired once across instances). */
  schedule?: boolean;
  /** How long a graceful stop waits for jobs in hand before failing them over to a retry. */
  stopTimeoutMs?: number;
};

const DEFAULT_BATCH = 5;

export type Workers = { boss: PgBoss; stop: () => Promise<void> };

/**
 * Rule A3: works the app's queues. Any number of processes may run this against one database:
 * pg-boss claims each job with `FOR UPDATE SKIP LOCKED`, so one of them works it at a time, and
 * a job whose worker died is failed over to a retry once its expiry passes.
 */
export async function startWorkers(handle: DbHandle, options: WorkerOptions): Promise<Workers> {
  const timing = options.timing ?? PRODUCTION_TIMING;
  const sql = settlingExecutor(handle.executeSql);
  const boss = new PgBoss({ ...bossConfig(sql.executeSql, timing), migrate: false, schedule: options.schedule ?? false });
  boss.on("error", (error) => logQueueError(error));
  await boss.start();
  const channels = options.channels ?? channelsFromEnv(env);
  const deps = { payments: options.payments, channels };
  try {
    if (options.schedule) await boss.schedule("runs.tick", TICK_CRON, { clinicId: null });
    for (const name of options.queues ?? QUEUE_NAMES) {
      const policy: { batchSize: number; pollingIntervalSeconds?: number } = QUEUES[name].policy;
      const pollingIntervalSeconds = Math.min(timing.pollingIntervalSeconds, policy.pollingIntervalSeconds ?? Infinity);
      const batchSize = options.batchSize ?? Math.max(policy.batchSize, DEFAULT_BATCH);
      for (let i = 0; i < (options.concurrency ?? 1); i++) {
        const work = { pollingIntervalSeconds, batchSize, includeMetadata: true as const };
        let workerId = "";
        workerId = await boss.work(name, work, async (jobs) => {
          // Each job is completed or failed on its own; pg-boss's own completion of the batch then changes nothing.
          await Promise.all(jobs.map((job) => workOne(handle, deps, name, job).then(
            () => boss.complete(name, job.id),
            (failure: Error) => boss.fail(name, job.id, failure),
          )));
          // A full batch means more are waiting: fetch again at once instead of after the polling interval.
          if (jobs.length === batchSize && workerId) boss.notifyWorker(workerId);
        });
      }
    }
  } catch (error) {
    await boss.stop({ graceful: false, close: false, wait: true });
    throw error;
  }
  return {
    boss,
    stop: async () => {
      // Graceful: no new jobs are fetched, jobs in hand finish; past the timeout they are failed over to a retry.
      await boss.stop({ graceful: true, close: false, wait: true, timeout: options.stopTimeoutMs ?? 20_000 });
      // pg-boss does not await a finished job's `complete`; wait for it, so closing the database next loses nothing.
      await sql.settled();
      if (!options.channels) channels.email?.close();
    },
  };
}

/** pg-boss's SQL through the app's connection, with a way to wait until none is in flight. */
function settlingExecutor(executeSql: ExecuteSql) {
  const inFlight = new Set<Promise<unknown>>();
  return {
    executeSql: ((text, values) => {
      const running = executeSql(text, values);
      inFlight.add(running);
      void running.then(
        () => inFlight.delete(running),
        () => inFlight.delete(running),
      );
      return running;
    }) satisfies ExecuteSql,
    settled: async () => {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
  };
}

async function workOne(handle: DbHandle, deps: Pick<JobContext, "payments" | "channels">, name: QueueName, job: PgBoss.JobWithMetadata<unknown>) {
  try {
    // A payload that fails its schema fails the job like a handler's error, and is stored redacted too.
    const data = QUEUES[name].schema.parse(job.data);
    const context: JobContext = { db: handle.db, ...deps, actor: systemActor(name, data.clinicId), job: { id: job.id, name, retryCount: job.retryCount, retryLimit: job.retryLimit } };
    await (HANDLERS[name] as (data: unknown, context: JobContext) => Promise<void>)(data, context);
  } catch (error) {
    logError(`job:${name}`, error, { job: job.id, attempt: job.retryCount + 1 });
    throw storedFailure(error);
  }
}

/**
 * Rule N3: pg-boss stores what a handler threw in the job row (the console's failed jobs show it).
 * A database error's message and detail carry the query's values, so only a `JobError`'s message,
 * which the app wrote with ids and counts, is kept; any other error is stored by its kind.
 */
export function storedFailure(error: unknown): Error {
  if (error instanceof JobError) return new JobError(error.message);
  const summary = summarizeError(error);
  const kind = [summary.name, summary.code && `code ${summary.code}`, summary.constraint && `constraint ${summary.constraint}`].filter(Boolean).join(", ");
  const failure = new Error(`The job failed (${kind}).`);
  failure.stack = [`Error: ${failure.message}`, ...(summary.at ?? []).map((frame) => `    ${frame}`)].join("\n");
  return failure;
}

/** pg-boss reports a worker's failed fetch as a plain object with the queue's name; logged by kind. */
function logQueueError(error: unknown) {
  const fields = error && typeof error === "object" ? (error as { queue?: unknown; name?: unknown }) : {};
  logError("queue", error instanceof Error ? error : Object.assign(new Error(), { name: typeof fields.name === "string" ? fields.name : "QueueError" }), typeof fields.queue === "string" ? { queue: fields.queue } : {});
}
