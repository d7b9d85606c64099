import { type ChildProcess, spawn } from "node:child_process";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { queueProbes } from "@/db/schema";
import { paymentProviderFor } from "@/server/services/orders/providers";
import { sendProbe } from "@/server/services/ops/queue-probes";
import { createTestDb, onPostgres } from "@/server/testing/db";
import { FAST_TIMING, jobRow, operatorCtx, setQueuePolicy, waitUntil } from "@/server/testing/queue";
import { retryWithinSeconds } from "@/server/queue/boss";
import { startWorkers, type Workers } from "./worker";

const describeOnPostgres = onPostgres ? describe : describe.skip;
// Short in this test's own database, so the dead worker's job comes back in seconds, not half a minute.
const POLICY = { expireInSeconds: 3, retryDelaySeconds: 1 };

let handle: Awaited<ReturnType<typeof createTestDb>>;
let survivor: Workers | undefined;
let child: ChildProcess | undefined;

beforeAll(async () => {
  handle = await createTestDb({ seed: false });
  await setQueuePolicy(handle.db, "queue.probe", { ...POLICY, retryLimit: 3 });
});
afterAll(async () => {
  child?.kill("SIGKILL");
  await survivor?.stop();
  await handle.drop();
});

/** A transaction that holds the probe's row until `release` is called. */
function holdRow(probeId: string) {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked = () => {};
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const done = handle.db.transaction(async (tx) => {
    await tx.execute(sql`select id from ${queueProbes} where id = ${probeId} for update`);
    locked();
    await released;
  });
  return { isLocked, release, done };
}

describeOnPostgres("rule A3: a worker killed mid-job", () => {
  it("rule A3: a SIGKILLed worker's job is finished by the other worker, once, within the expiry", { timeout: 60_000 }, async () => {
    const probeId = await handle.db.transaction((tx) => sendProbe(operatorCtx(tx)));
    const [job] = await queryRows<{ id: string }>(handle.db, sql`select id from pgboss.job where name = 'queue.probe' and data->>'probeId' = ${probeId}`);
    if (!job) throw new Error("the probe's job was not sent");

    // The job will stall on the probe's row, held here: the child worker is then truly mid-job.
    const lock = holdRow(probeId);
    await lock.isLocked;

    if (handle.kind !== "postgres") throw new Error("needs Postgres");
    child = spawn(process.execPath, ["--import", "tsx", "server/testing/worker-process.ts"], {
      env: { ...process.env, DATABASE_URL: handle.url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (d) => (output += d));
    child.stderr?.on("data", (d) => (output += d));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child?.on("exit", (code, signal) => resolve(signal ?? code)));

    const blocked = async () =>
      (
        await queryRows<{ n: number }>(
          handle.db,
          sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query ilike '%update "queue_probes"%'`,
        )
      )[0]?.n === 1;
    await Promise.race([
      waitUntil("the child worker is mid-job, waiting on the probe's row", async () => (await jobRow(handle.db, job.id))?.state === "active" && (await blocked()), 40_000),
      exited.then((how) => {
        throw new Error(`the worker process ended on its own (${String(how)}):\n${output}`);
      }),
    ]);

    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    // The server notices a vanished client only when it next writes to it; the dead worker's statement goes with it.
    await handle.db.execute(
      sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query ilike '%update "queue_probes"%'`,
    );
    lock.release();
    await lock.done;
    expect((await jobRow(handle.db, job.id))?.state).toBe("active");

    // The surviving worker: pg-boss's maintenance fails the expired job over to a retry, and it takes it.
    survivor = await startWorkers(handle, { payments: paymentProviderFor(handle.db, {}), timing: FAST_TIMING, queues: ["queue.probe"] });
    const bound = retryWithinSeconds(POLICY, FAST_TIMING) * 1000;
    await waitUntil("the survivor finishes the job", async () => (await jobRow(handle.db, job.id))?.state === "completed", bound + 5_000);

    const [probe] = await handle.db.select().from(queueProbes).where(eq(queueProbes.id, probeId));
    expect(probe?.workedAt).not.toBeNull();
    // Worked once: the killed attempt left nothing, the survivor's run is the only one.
    expect(probe?.attempts).toBe(1);
    // Taken twice by pg-boss: the killed attempt and the survivor's.
    expect((await jobRow(handle.db, job.id))?.retry_count).toBe(1);
  });
});
