import { type SQL, sql } from "drizzle-orm";
import { type Db, queryRows } from "@/db/client";
import { BOSS_SCHEMA, discardJob, retryFailedJob } from "@/server/queue/boss";
import { QUEUE_NAMES, type QueueName } from "@/server/queue/names";
import { auditBy } from "@/server/kernel/audit";
import { withTransaction, type PlatformContext } from "@/server/kernel/context";
import { DomainError } from "@/server/kernel/errors";

/**
 * Rule A3: the dead letters: jobs that ran out of retries, which pg-boss keeps in state `failed`
 * for 30 days (server/queue/boss.ts). A clinic sees the jobs whose payload names it, the platform
 * (`ctx.clinicId` null) those that name none (rule N1). Payloads are ids, and the stored error is the app's own
 * redacted summary (server/jobs/worker.ts), so nothing personal is listed (rule N3).
 */
export type FailedJob = { id: string; queue: QueueName; createdAt: Date; failedAt: Date; attempts: number; error: string };

const LIST_LIMIT = 100;
const ERROR_LENGTH = 300;

const jobTable = sql`${sql.identifier(BOSS_SCHEMA)}.job`;
const appQueues = sql.join(QUEUE_NAMES.map((name) => sql`${name}`), sql`, `);
/** `null` is the platform's own: payloads that name no clinic. */
const ownedBy = (clinicId: string | null): SQL => (clinicId === null ? sql`data->>'clinicId' is null` : sql`data->>'clinicId' = ${clinicId}`);

type Row = { id: string; name: QueueName; created_on: Date | string; completed_on: Date | string | null; retry_count: number; error: string | null };

function toFailedJob(row: Row): FailedJob {
  return {
    id: row.id,
    queue: row.name,
    createdAt: new Date(row.created_on),
    failedAt: new Date(row.completed_on ?? row.created_on),
    // pg-boss counts the retries; the first run is one more attempt.
    attempts: row.retry_count + 1,
    error: row.error ? row.error.slice(0, ERROR_LENGTH) : "No error was recorded.",
  };
}

const failedJobs = (clinicId: string | null, extra: SQL = sql``) =>
  sql`select id, name, created_on, completed_on, retry_count, output->>'message' as error from ${jobTable}
      where state = 'failed' and name in (${appQueues}) and ${ownedBy(clinicId)} ${extra}`;

export async function listFailedJobs(ctx: PlatformContext): Promise<FailedJob[]> {
  const rows = await queryRows<Row>(ctx.db, sql`${failedJobs(ctx.clinicId)} order by completed_on desc, id limit ${LIST_LIMIT}`);
  return rows.map(toFailedJob);
}

/** The failed job, locked for the change; another clinic's job, or one already handled, is not found. */
async function lockFailedJob(tx: Db, clinicId: string | null, jobId: string): Promise<FailedJob> {
  const [row] = await queryRows<Row>(tx, sql`${failedJobs(clinicId, sql`and id = ${jobId}`)} for update`);
  if (!row) throw new DomainError("not_found", "That failed job is not in the list any more: it was retried or discarded, or it is not yours.");
  return toFailedJob(row);
}

/** Rule A3: the job runs once more (a worker takes it at its next poll); audited (rule C4). */
export async function retryJob(ctx: PlatformContext, input: { jobId: string }): Promise<void> {
  await withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const job = await lockFailedJob(tx, clinicId, input.jobId);
    await retryFailedJob(tx, job.queue, job.id);
    await auditBy(tx, actor, { clinicId, action: "job.retry", targetType: "job", targetId: job.id, after: { queue: job.queue, attempts: job.attempts } });
  });
}

/** Rule A3: the job is dropped for good; audited (rule C4) with what it was. */
export async function discardFailedJob(ctx: PlatformContext, input: { jobId: string }): Promise<void> {
  await withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const job = await lockFailedJob(tx, clinicId, input.jobId);
    await discardJob(tx, job.queue, job.id);
    await auditBy(tx, actor, { clinicId, action: "job.discard", targetType: "job", targetId: job.id, before: { queue: job.queue, attempts: job.attempts, error: job.error } });
  });
}
