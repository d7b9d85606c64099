import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "@/db/client";
import { systemActor } from "@/server/events/actor";
import type { PlatformContext } from "@/server/kernel/context";
import { BOSS_SCHEMA, type BossTiming, enqueue } from "@/server/queue/boss";

// ops (ctx3): the platform context a test passes to the queue probe services, as the platform's operator.
export const operatorCtx = (db: Db): PlatformContext => ({ db, actor: systemActor("test.operator"), clinicId: null });

/** Short polling and maintenance, so a test sees a retry or an expiry in seconds (options, not branches). */
export const FAST_TIMING: BossTiming = { maintenanceIntervalSeconds: 1, pollingIntervalSeconds: 0.5 };

export type JobRow = { id: string; name: string; state: string; retry_count: number; data: Record<string, unknown> };

/** A job as pg-boss holds it (or null once deleted). */
export async function jobRow(db: Db, id: string): Promise<JobRow | null> {
  const [row] = await queryRows<JobRow>(db, sql`select id, name, state::text as state, retry_count, data from ${sql.identifier(BOSS_SCHEMA)}.job where id = ${id}`);
  return row ?? null;
}

export async function jobCount(db: Db, name: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(BOSS_SCHEMA)}.job where name = ${name}`);
  return row?.n ?? 0;
}

/** Polls the database until `check` holds; fails with `what` after `timeoutMs`. Asserts on state, never on time. */
export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Sets a queue's policy in the test's own database, so "out of retries" or "expired" comes in seconds. */
export async function setQueuePolicy(db: Db, name: string, policy: { retryLimit?: number; retryDelaySeconds?: number; expireInSeconds?: number }): Promise<void> {
  await db.execute(sql`update ${sql.identifier(BOSS_SCHEMA)}.queue set
    retry_limit = coalesce(${policy.retryLimit ?? null}::int, retry_limit),
    retry_delay = coalesce(${policy.retryDelaySeconds ?? null}::int, retry_delay),
    expire_seconds = coalesce(${policy.expireInSeconds ?? null}::int, expire_seconds)
    where name = ${name}`);
}

/**
 * A real dead letter: a probe job naming a probe that was never recorded fails on every attempt
 * (its handler throws a JobError) until it runs out of retries. Needs workers on the probe queue.
 */
export async function deadLetter(db: Db, clinicId: string | null): Promise<{ jobId: string; probeId: string }> {
  const probeId = randomUUID();
  const jobId = await db.transaction((tx) => enqueue(tx, "queue.probe", { clinicId, probeId }));
  if (!jobId) throw new Error("the probe's job was not sent");
  await waitUntil("the job runs out of retries", async () => (await jobRow(db, jobId))?.state === "failed");
  return { jobId, probeId };
}
