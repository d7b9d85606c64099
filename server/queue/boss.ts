import PgBoss from "pg-boss";
import { type SQL, sql } from "drizzle-orm";
import { asParameter, type Db, type DbHandle, queryRows } from "@/db/client";
import { type EventQueueName, QUEUES, QUEUE_NAMES, type JobData, type QueueName } from "./names";

export const BOSS_SCHEMA = "pgboss";

/** pg-boss settings both the sender and the workers share (rule A3). */
export type BossTiming = {
  /** How often expired active jobs (a worker that died) are failed over to a retry. */
  maintenanceIntervalSeconds: number;
  pollingIntervalSeconds: number;
};

/**
 * Expiry runs in pg-boss's maintenance, which all instances share: each checks on its own timer and
 * the first past the interval runs it (`version.maintained_on`), so a dead worker's job waits at most
 * its expiry plus two intervals before it is failed over to a retry (see `retryWithinSeconds`).
 */
export const PRODUCTION_TIMING: BossTiming = { maintenanceIntervalSeconds: 5, pollingIntervalSeconds: 2 };

/**
 * Rule A3: the longest a job whose worker was killed waits before another worker takes it again, by
 * pg-boss 10's own arithmetic: the expiry (`started_on + expire_in < now()`), the gap between two
 * maintenance runs across instances (under two intervals), the first retry's backoff
 * (`retry_delay * 2^(retry_count + 1) / 2 * (1 + random())`, at most twice the delay) and one poll.
 */
export function retryWithinSeconds(policy: { expireInSeconds: number; retryDelaySeconds: number }, timing: BossTiming): number {
  return policy.expireInSeconds + 2 * timing.maintenanceIntervalSeconds + 2 * policy.retryDelaySeconds + timing.pollingIntervalSeconds;
}

const THIRTY_DAYS = 30 * 24 * 3600;

export function bossConfig(executeSql: DbHandle["executeSql"], timing: BossTiming): PgBoss.ConstructorOptions {
  return {
    db: { executeSql: (text, values) => executeSql(text, values) },
    schema: BOSS_SCHEMA,
    maintenanceIntervalSeconds: timing.maintenanceIntervalSeconds,
    monitorStateIntervalSeconds: 60,
    // Jobs that ran out of retries stay listed (the console's failed jobs) for a month.
    archiveFailedAfterSeconds: THIRTY_DAYS,
    deleteAfterDays: 30,
  };
}

/** pg-boss's numbered-parameter SQL as a drizzle query, so it runs inside the caller's transaction. */
function asDrizzleSql(text: string, values: unknown[] = []): SQL {
  const parts = text.split(/\$(\d+)/);
  // An array (pg-boss's job ids) is one array parameter; inside drizzle's sql`` it would be spread into a list.
  const parameter = (value: unknown): SQL => (Array.isArray(value) ? sql`${sql.param(value)}` : sql`${asParameter(value)}`);
  const chunks: SQL[] = parts.map((part, i) => (i % 2 === 0 ? sql.raw(part) : parameter(values[Number(part) - 1])));
  return sql.join(chunks, sql.raw(""));
}

/** A pg-boss `db` over a drizzle database or transaction. */
export function executorFor(db: Db): PgBoss.Db {
  return { executeSql: async (text, values) => ({ rows: await queryRows(db, asDrizzleSql(text, values)) }) };
}

// Sending needs no connection of its own: every send goes through the caller's transaction.
let sender: PgBoss | undefined;
function theSender() {
  sender ??= new PgBoss({ db: { executeSql: () => Promise.reject(new Error("jobs are sent through a transaction")) }, schema: BOSS_SCHEMA, supervise: false, schedule: false, migrate: false });
  return sender;
}

export type EnqueueOptions = {
  /** At most one waiting job per key (pg-boss singleton key). */
  singletonKey?: string;
  startAfter?: Date | number;
};

/**
 * Rule A3: a job is enqueued in the transaction of the change that causes it, so a rolled-back
 * change enqueues nothing and a committed one is never lost.
 */
export async function enqueue<Q extends QueueName>(tx: Db, name: Q, data: JobData<Q>, options: EnqueueOptions = {}): Promise<string | null> {
  const payload = QUEUES[name].schema.parse(data);
  return theSender().send(name, payload, { ...options, db: executorFor(tx) });
}

/** Rule A3: a job out of retries is tried once more (pg-boss `retry`), in the caller's transaction. */
export async function retryFailedJob(tx: Db, name: QueueName, id: string): Promise<void> {
  await theSender().retry(name, id, { db: executorFor(tx) });
}

/** Rule A3: a job out of retries is dropped for good (pg-boss `deleteJob`), in the caller's transaction. */
export async function discardJob(tx: Db, name: QueueName, id: string): Promise<void> {
  await theSender().deleteJob(name, id, { db: executorFor(tx) });
}

/** Many jobs of one queue as one insert (pg-boss `insert`), each with its own key and start. */
export async function enqueueMany<Q extends QueueName>(tx: Db, name: Q, items: { data: JobData<Q>; singletonKey?: string; startAfter?: Date }[]): Promise<void> {
  const jobs = items.map((item) => ({ name, data: QUEUES[name].schema.parse(item.data) as object, singletonKey: item.singletonKey, startAfter: item.startAfter?.toISOString() }));
  for (let i = 0; i < jobs.length; i += 1000) await theSender().insert(jobs.slice(i, i + 1000), { db: executorFor(tx) });
}

/** The jobs many events set off in one queue, as one insert (pg-boss `insert`); the same jobs as `enqueueForEvent` each. */
export async function enqueueForEvents(tx: Db, name: EventQueueName, items: { clinicId: string | null; eventId: string }[]): Promise<void> {
  const schema = QUEUES[name as QueueName].schema;
  const jobs = items.map((data) => ({ name, data: schema.parse(data) as object, singletonKey: data.eventId }));
  for (let i = 0; i < jobs.length; i += 1000) await theSender().insert(jobs.slice(i, i + 1000), { db: executorFor(tx) });
}

/** The job an event sets off: one per event and queue, however often the dispatch is repeated. */
export async function enqueueForEvent(tx: Db, name: EventQueueName, data: { clinicId: string | null; eventId: string }): Promise<string | null> {
  const payload: unknown = QUEUES[name as QueueName].schema.parse(data);
  return theSender().send(name, payload as object, { singletonKey: data.eventId, db: executorFor(tx) });
}

/** Creates pg-boss's tables and the app's queues; run with the migrations, safe to repeat. */
export async function migrateQueue(handle: DbHandle): Promise<void> {
  const boss = new PgBoss({ ...bossConfig(handle.executeSql, PRODUCTION_TIMING), supervise: false, schedule: false });
  boss.on("error", () => {});
  await boss.start();
  try {
    for (const name of QUEUE_NAMES) {
      const { policy } = QUEUES[name];
      const options = { name, retryLimit: policy.retryLimit, retryDelay: policy.retryDelaySeconds, retryBackoff: true, expireInSeconds: policy.expireInSeconds };
      if (await boss.getQueue(name)) await boss.updateQueue(name, options);
      else await boss.createQueue(name, options).catch(async (error: unknown) => {
        // Another instance created it between the two calls.
        if (!(await boss.getQueue(name))) throw error;
      });
    }
  } finally {
    await boss.stop({ graceful: false, close: false, wait: true });
  }
}

/** The queue at a glance, for `/api/health`: jobs waiting to be worked, and jobs out of retries. */
export async function queueHealth(db: Db): Promise<{ ready: number; failed: number }> {
  const [row] = await queryRows<{ ready: number; failed: number }>(
    db,
    sql`select count(*) filter (where state in ('created', 'retry'))::int as ready, count(*) filter (where state = 'failed')::int as failed from ${sql.identifier(BOSS_SCHEMA)}.job`,
  );
  return { ready: row?.ready ?? 0, failed: row?.failed ?? 0 };
}
