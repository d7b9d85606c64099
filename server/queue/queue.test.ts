import { count, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectPostgres, type DbHandle, queryRows } from "@/db/client";
import { domainEvents, queueProbes } from "@/db/schema";
import { systemActor } from "@/server/events/actor";
import { emit, emitMany } from "@/server/events/emit";
import { paymentProviderFor } from "@/server/services/orders/providers";
import { sendProbe } from "@/server/services/ops/queue-probes";
import { createTestDb, itConcurrently } from "@/server/testing/db";
import { FAST_TIMING, jobCount, operatorCtx, waitUntil } from "@/server/testing/queue";
import { GET as health } from "@/app/api/health/route";
import { BOSS_SCHEMA, PRODUCTION_TIMING, retryWithinSeconds } from "./boss";
import { QUEUES, QUEUE_NAMES, type QueueName } from "./names";
import { startWorkers, storedFailure, type Workers } from "@/server/jobs/worker";
import { JobError } from "./job-error";

let handle: Awaited<ReturnType<typeof createTestDb>>;
const running: Workers[] = [];
const others: DbHandle[] = [];

beforeAll(async () => {
  handle = await createTestDb({ seed: false });
});
afterAll(async () => {
  for (const workers of running) await workers.stop();
  for (const other of others) await other.close();
  await handle.drop();
});

async function workersOn(on: DbHandle, options: { batchSize?: number; concurrency?: number; queues?: QueueName[] } = {}) {
  const workers = await startWorkers(on, { payments: paymentProviderFor(on.db, {}), timing: FAST_TIMING, queues: ["queue.probe"], ...options });
  running.push(workers);
  return workers;
}

const probe = async (id: string) => (await handle.db.select().from(queueProbes).where(eq(queueProbes.id, id)))[0];

describe("rule A3: jobs are sent in the transaction of the change", () => {
  it("rule A3: a rolled-back transaction leaves no job; a committed one is worked", async () => {
    const before = await jobCount(handle.db, "queue.probe");
    const rolledBack = new Error("the change failed");
    let lostProbe = "";
    await expect(
      handle.db.transaction(async (tx) => {
        lostProbe = await sendProbe(operatorCtx(tx));
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect(lostProbe).not.toBe("");
    expect(await jobCount(handle.db, "queue.probe")).toBe(before);
    expect(await probe(lostProbe)).toBeUndefined();

    const kept = await handle.db.transaction((tx) => sendProbe(operatorCtx(tx)));
    expect(await jobCount(handle.db, "queue.probe")).toBe(before + 1);
    await workersOn(handle);
    await waitUntil("the committed probe is worked", async () => !!(await probe(kept))?.workedAt);
    expect((await probe(kept))?.attempts).toBe(1);
    // The rolled-back one never reached a worker, because it never existed.
    expect(await probe(lostProbe)).toBeUndefined();
  });

  it("rule A1: emit in a rolled-back transaction records no event and enqueues nothing", async () => {
    const jobsBefore = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from ${sql.identifier(BOSS_SCHEMA)}.job`);
    const [eventsBefore] = await handle.db.select({ n: count() }).from(domainEvents);
    const rolledBack = new Error("the change failed");
    await expect(
      handle.db.transaction(async (tx) => {
        await emit(tx, systemActor("test"), {
          type: "payout.approved",
          clinicId: null,
          data: { runId: crypto.randomUUID(), month: "2026-11", referrers: 2, totalCents: 1000 },
        });
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    const [eventsAfter] = await handle.db.select({ n: count() }).from(domainEvents);
    expect(eventsAfter?.n).toBe(eventsBefore?.n);
    expect(await queryRows(handle.db, sql`select count(*)::int as n from ${sql.identifier(BOSS_SCHEMA)}.job`)).toEqual(jobsBefore);
  });
});

describe("rule A1: what an event sets off", () => {
  it("rule A1: emit in a committed transaction enqueues what the event sets off, and a worker works it", async () => {
    const eventId = await handle.db.transaction((tx) =>
      emit(tx, systemActor("test"), { type: "payout.approved", clinicId: null, data: { runId: crypto.randomUUID(), month: "2026-10", referrers: 1, totalCents: 500 } }),
    );
    const jobsOf = () => queryRows<{ state: string }>(handle.db, sql`select state::text as state from ${sql.identifier(BOSS_SCHEMA)}.job where name = 'webhooks.fanout' and data->>'eventId' = ${eventId}`);
    // Every event goes to the outgoing webhooks' fan-out (rule A4), once.
    expect(await jobsOf()).toEqual([{ state: "created" }]);
    await workersOn(handle, { queues: ["webhooks.fanout"] });
    await waitUntil("the fan-out job is worked", async () => (await jobsOf())[0]?.state === "completed");
    expect(await jobsOf()).toEqual([{ state: "completed" }]);
  });
});

describe("rule A1: many events at once (emitMany)", () => {
  it("records each event and sets off the same jobs as one emit each, with the queue's retry policy, and a worker works them", async () => {
    const runs = Array.from({ length: 3 }, () => crypto.randomUUID());
    await handle.db.transaction((tx) =>
      emitMany(tx, systemActor("test"), runs.map((runId) => ({ type: "payout.approved" as const, clinicId: null, data: { runId, month: "2026-11", referrers: 1, totalCents: 500 } }))),
    );
    const events = await handle.db.select({ id: domainEvents.id }).from(domainEvents).where(inArray(sql`${domainEvents.data}->>'runId'`, runs));
    expect(events).toHaveLength(3);
    const ids = events.map((e) => e.id);
    const jobsOf = (queue: string) =>
      queryRows<{ state: string; retry_limit: number; singleton_key: string }>(
        handle.db,
        sql`select state::text as state, retry_limit, singleton_key from ${sql.identifier(BOSS_SCHEMA)}.job where name = ${queue} and data->>'eventId' in ${ids}`,
      );
    for (const queue of ["webhooks.fanout", "messages.events"] as const) {
      const jobs = await jobsOf(queue);
      expect(jobs.map((j) => j.singleton_key).sort()).toEqual([...ids].sort());
      expect(new Set(jobs.map((j) => j.retry_limit))).toEqual(new Set([QUEUES[queue].policy.retryLimit]));
    }
    await workersOn(handle, { queues: ["webhooks.fanout"] });
    await waitUntil("the fan-out jobs are worked", async () => {
      const jobs = await jobsOf("webhooks.fanout");
      return jobs.length === ids.length && jobs.every((j) => j.state === "completed");
    });
  });

  it("a rolled-back batch of events records and enqueues nothing", async () => {
    const runId = crypto.randomUUID();
    await expect(
      handle.db.transaction(async (tx) => {
        await emitMany(tx, systemActor("test"), [{ type: "payout.approved", clinicId: null, data: { runId, month: "2026-11", referrers: 1, totalCents: 500 } }]);
        throw new Error("the change failed");
      }),
    ).rejects.toThrow(/the change failed/);
    expect(await handle.db.select({ id: domainEvents.id }).from(domainEvents).where(sql`${domainEvents.data}->>'runId' = ${runId}`)).toEqual([]);
  });
});

describe("rule A3: expiry", () => {
  // The kill itself, on every queue, is worker-kill-every-queue.test.ts: a job is taken again within this bound of its policy.
  it("rule A3: every queue's production policy bounds a killed worker's job to a minute", () => {
    for (const name of QUEUE_NAMES) {
      expect(retryWithinSeconds(QUEUES[name].policy, PRODUCTION_TIMING), name).toBeLessThanOrEqual(60);
    }
  });
});

describe("rule A3: several workers share one queue", () => {
  itConcurrently("rule A3: two workers on two connections work 1,000 jobs, each exactly once", async () => {
    if (handle.kind !== "postgres") throw new Error("needs Postgres");
    const second = await connectPostgres(handle.url, { max: 10 });
    others.push(second);
    await workersOn(handle, { batchSize: 10, concurrency: 2 });
    await workersOn(second, { batchSize: 10, concurrency: 2 });

    const ids = await handle.db.transaction(async (tx) => {
      const sent: string[] = [];
      for (let i = 0; i < 1000; i++) sent.push(await sendProbe(operatorCtx(tx)));
      return sent;
    });
    const worked = async () =>
      (await handle.db.select({ n: count() }).from(queueProbes).where(sql`${inArray(queueProbes.id, ids)} and ${queueProbes.workedAt} is not null`))[0]?.n ?? 0;
    await waitUntil("all 1,000 probes are worked", async () => (await worked()) === 1000, 50_000);

    // Each probe counts every run it had: exactly one each, none twice, none lost.
    const runs = await queryRows<{ attempts: number; n: number }>(
      handle.db,
      sql`select attempts, count(*)::int as n from ${queueProbes} where ${inArray(queueProbes.id, ids)} group by attempts`,
    );
    expect(runs).toEqual([{ attempts: 1, n: 1000 }]);
    await waitUntil("every job is marked completed", async () => {
      const [row] = await queryRows<{ n: number }>(
        handle.db,
        sql`select count(*)::int as n from ${sql.identifier(BOSS_SCHEMA)}.job where name = 'queue.probe' and state = 'completed' and data->>'probeId' in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`,
      );
      return row?.n === 1000;
    });
  });
});

describe("/api/health", () => {
  it("reports the queue's ready and failed jobs with real counts", async () => {
    const globalForDb = globalThis as unknown as { appDb?: Promise<DbHandle> };
    globalForDb.appDb = Promise.resolve(handle);
    const counts = async () => {
      const [row] = await queryRows<{ ready: number; failed: number }>(
        handle.db,
        sql`select count(*) filter (where state in ('created', 'retry'))::int as ready, count(*) filter (where state = 'failed')::int as failed from ${sql.identifier(BOSS_SCHEMA)}.job`,
      );
      return row;
    };
    // A job that waits (far in the future, so no worker takes it) and one out of retries.
    await handle.db.execute(
      sql`insert into ${sql.identifier(BOSS_SCHEMA)}.job (name, data, start_after) values ('queue.probe', ${JSON.stringify({ clinicId: null, probeId: crypto.randomUUID() })}::jsonb, now() + interval '1 day')`,
    );
    await handle.db.execute(
      sql`insert into ${sql.identifier(BOSS_SCHEMA)}.job (name, data, state, completed_on) values ('queue.probe', ${JSON.stringify({ clinicId: null, probeId: crypto.randomUUID() })}::jsonb, 'failed', now())`,
    );
    const expected = await counts();
    expect(expected?.ready).toBeGreaterThanOrEqual(1);
    expect(expected?.failed).toBeGreaterThanOrEqual(1);
    const response = await health();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", db: "ok", queue: { ready: expected?.ready, failed: expected?.failed } });
  });
});

describe("rule N3: what a failed job stores", () => {
  it("keeps a JobError's message and only the kind of any other error", () => {
    const database = Object.assign(new Error('duplicate key value violates unique constraint "users_email_key"'), {
      name: "PostgresError",
      code: "23505",
      constraint_name: "users_email_key",
      detail: "Key (email)=(jane.doe@example.com) already exists.",
    });
    const failure = storedFailure(database);
    const stored = JSON.stringify({ ...failure, message: failure.message, stack: failure.stack });
    expect(stored).not.toContain("jane.doe");
    expect(stored).not.toContain("duplicate key");
    expect(storedFailure(database).message).toBe("The job failed (PostgresError, code 23505, constraint users_email_key).");
    expect(storedFailure(new JobError("Probe 1 is not recorded.")).message).toBe("Probe 1 is not recorded.");
  });
});
