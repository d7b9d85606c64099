import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { paymentProviderFor } from "@/server/services/orders/providers";
import { createTestDb, onPostgres } from "@/server/testing/db";
import { FAST_TIMING, setQueuePolicy, waitUntil } from "@/server/testing/queue";
import { enqueue, retryWithinSeconds } from "@/server/queue/boss";
import { type JobData, QUEUE_NAMES, type QueueName } from "@/server/queue/names";
import { startWorkers, type Workers } from "./worker";

const describeOnPostgres = onPostgres ? describe : describe.skip;
// Each queue's own expiry and retry delay, shortened in this test's database so the kill is seen in seconds.
const POLICY = { expireInSeconds: 3, retryDelaySeconds: 1 };
const HOLD = 20_260_311;

const clinicId = randomUUID();
/** A job for every queue (a queue added later must be given one). What the handler makes of it does not matter: it is held before it settles. */
const SAMPLES: { [Q in QueueName]: JobData<Q> } = {
  "queue.probe": { clinicId: null, probeId: randomUUID() },
  "runs.clinic": { clinicId, run: "daily", period: "2026-12-01" },
  "runs.platform": { clinicId: null, run: "daily", period: "2026-12-01" },
  "runs.tick": { clinicId: null },
  "patients.import": { clinicId, importId: randomUUID() },
  "webhooks.fanout": { clinicId: null, eventId: randomUUID() },
  "webhooks.deliver": { clinicId, deliveryId: randomUUID(), attempt: 0, resend: false },
  "inbound.process": { clinicId, inboundEventId: randomUUID() },
  "credit.reservation-expire": { clinicId, reservationId: randomUUID() },
  "messages.send": { clinicId: null, messageId: randomUUID() },
  "messages.events": { clinicId: null, eventId: randomUUID() },
};

let handle: Awaited<ReturnType<typeof createTestDb>>;
let survivor: Workers | undefined;
let child: ChildProcess | undefined;
let hold: Awaited<ReturnType<typeof holdSettling>> | undefined;

beforeAll(async () => {
  handle = await createTestDb({ seed: false });
  for (const name of QUEUE_NAMES) await setQueuePolicy(handle.db, name, POLICY);
});
afterAll(async () => {
  child?.kill("SIGKILL");
  await hold?.release();
  await survivor?.stop();
  await handle.drop();
});

type Job = { id: string; name: QueueName; state: string; retry_count: number; started_on: Date | null };
const jobsNow = (ids: string[]) =>
  queryRows<Job>(handle.db, sql`select id, name, state::text as state, retry_count, started_on from pgboss.job where id = any(${sql.param(ids)}::uuid[])`);
const advisoryWaiters = async () =>
  (await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event = 'advisory'`))[0]?.n ?? 0;

/**
 * Holds every job's settling (complete or fail) until `release`: a worker that took a job is then
 * truly mid-job, its last statement waiting, when it is killed. The app's code is untouched: the
 * hold is a trigger in this test's own database.
 */
async function holdSettling() {
  await handle.db.execute(sql.raw(`
    create function hold_job_settling() returns trigger language plpgsql as $$
    begin
      perform pg_advisory_xact_lock_shared(${HOLD});
      if tg_op = 'DELETE' then return old; end if;
      return new;
    end $$;
    create trigger hold_job_completing before update on pgboss.job for each row
      when (old.state = 'active' and new.state <> 'active') execute function hold_job_settling();
    -- pg-boss fails a job (and expires one) by deleting and re-inserting it.
    create trigger hold_job_failing before delete on pgboss.job for each row
      when (old.state = 'active') execute function hold_job_settling();`));
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = () => {};
  const isHeld = new Promise<void>((resolve) => (held = resolve));
  const done = handle.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${HOLD})`);
    held();
    await released;
  });
  await isHeld;
  return {
    release: async () => {
      release();
      hold = undefined;
      await done;
    },
  };
}

describeOnPostgres("rule A3: a worker killed mid-job, on every queue", () => {
  it("rule A3: each queue's job is taken again by another worker within the bound of its own policy", { timeout: 120_000 }, async () => {
    hold = await holdSettling();
    const ids: string[] = [];
    for (const name of QUEUE_NAMES) {
      const id = await handle.db.transaction((tx) => enqueue(tx, name, SAMPLES[name] as never));
      if (!id) throw new Error(`no job sent on ${name}`);
      ids.push(id);
    }
    expect(ids).toHaveLength(QUEUE_NAMES.length);

    if (handle.kind !== "postgres") throw new Error("needs Postgres");
    child = spawn(process.execPath, ["--import", "tsx", "server/testing/every-queue-worker-process.ts"], { env: { ...process.env, DATABASE_URL: handle.url }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout?.on("data", (d) => (output += d));
    child.stderr?.on("data", (d) => (output += d));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child?.on("exit", (code, signal) => resolve(signal ?? code)));
    await Promise.race([
      waitUntil(
        "the child worker holds a job of every queue, each waiting to settle",
        async () => (await jobsNow(ids)).filter((j) => j.state === "active").length === ids.length && (await advisoryWaiters()) >= ids.length,
        60_000,
      ).catch(async (error: unknown) => {
        throw new Error(`${String(error)}: ${JSON.stringify(await jobsNow(ids))}, ${await advisoryWaiters()} waiting\n${output}`);
      }),
      exited.then((how) => {
        throw new Error(`the worker process ended on its own (${String(how)}):\n${output}`);
      }),
    ]);

    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    // The dead worker's waiting statements go with it (the server notices a vanished client only when it next writes).
    await handle.db.execute(sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and wait_event = 'advisory' and pid <> pg_backend_pid()`);
    await hold.release();
    hold = undefined;
    const [{ killedAt } = { killedAt: new Date() }] = await queryRows<{ killedAt: Date }>(handle.db, sql`select now() as "killedAt"`);
    const dead = await jobsNow(ids);
    expect(dead.map((j) => `${j.name}:${j.state}:${j.retry_count}`).sort()).toEqual(QUEUE_NAMES.map((n) => `${n}:active:0`).sort());

    // Another worker: pg-boss's maintenance fails each expired job over to a retry, and it is taken again.
    const started = Date.now();
    survivor = await startWorkers(handle, { payments: paymentProviderFor(handle.db, {}), timing: FAST_TIMING });
    const takenAfter = new Map<string, number>();
    const bound = retryWithinSeconds(POLICY, FAST_TIMING) * 1000;
    await waitUntil(
      "every queue's job is taken again",
      async () => {
        for (const job of await jobsNow(ids)) {
          if (!takenAfter.has(job.name) && job.retry_count >= 1 && job.started_on && new Date(job.started_on) > new Date(killedAt)) takenAfter.set(job.name, Date.now() - started);
        }
        return takenAfter.size === ids.length;
      },
      bound + 10_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; not taken again: ${QUEUE_NAMES.filter((n) => !takenAfter.has(n)).join(", ")}`);
    });
    // Observed to the next 100 ms poll, plus the survivor's own start-up.
    for (const name of QUEUE_NAMES) expect(takenAfter.get(name), name).toBeLessThanOrEqual(bound + 1_000);
  });
});
