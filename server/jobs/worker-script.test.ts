import { type ChildProcess, spawn } from "node:child_process";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { queueProbes } from "@/db/schema";
import { sendProbe } from "@/server/services/ops/queue-probes";
import { createTestDb, onPostgres } from "@/server/testing/db";
import { jobRow, operatorCtx, waitUntil } from "@/server/testing/queue";

const describeOnPostgres = onPostgres ? describe : describe.skip;

let handle: Awaited<ReturnType<typeof createTestDb>>;
let child: ChildProcess | undefined;

beforeAll(async () => {
  handle = await createTestDb({ seed: false });
});
afterAll(async () => {
  if (child?.exitCode === null) child.kill("SIGKILL");
  await handle.drop();
});

describeOnPostgres("npm run worker (public contract)", () => {
  it("rule A3: starts on DATABASE_URL, works a job, and on SIGTERM finishes the job in hand and exits 0", { timeout: 60_000 }, async () => {
    if (handle.kind !== "postgres") throw new Error("needs Postgres");
    const probeId = await handle.db.transaction((tx) => sendProbe(operatorCtx(tx)));
    const [job] = await queryRows<{ id: string }>(handle.db, sql`select id from pgboss.job where name = 'queue.probe' and data->>'probeId' = ${probeId}`);
    if (!job) throw new Error("the probe's job was not sent");

    // Held here, the probe's row keeps the worker mid-job until after SIGTERM.
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked = () => {};
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holding = handle.db.transaction(async (tx) => {
      await tx.execute(sql`select id from ${queueProbes} where id = ${probeId} for update`);
      locked();
      await released;
    });
    await isLocked;

    child = spawn("npm", ["run", "--silent", "worker"], { env: { ...process.env, DATABASE_URL: handle.url, WORKER_CONCURRENCY: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout?.on("data", (d) => (output += d));
    child.stderr?.on("data", (d) => (output += d));
    const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child?.on("exit", (code, signal) => resolve(code ?? signal)));

    const midJob = async () =>
      (await jobRow(handle.db, job.id))?.state === "active" &&
      (await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query ilike '%update "queue_probes"%'`))[0]?.n === 1;
    await Promise.race([
      waitUntil("the worker is mid-job", midJob, 40_000),
      exited.then((how) => {
        throw new Error(`npm run worker ended on its own (${String(how)}):\n${output}`);
      }),
    ]);
    expect(output).toContain("working the queues");

    child.kill("SIGTERM");
    // It heard the signal and, mid-job, has not gone: a graceful stop waits for the job in hand.
    await waitUntil("the worker says it is stopping", async () => output.includes("stopping on SIGTERM"), 20_000);
    expect(child.exitCode).toBeNull();
    expect((await jobRow(handle.db, job.id))?.state).toBe("active");
    release();
    await holding;

    expect(await exited).toBe(0);
    expect(output).toContain("stopped on SIGTERM");
    expect((await jobRow(handle.db, job.id))?.state).toBe("completed");
    const [probe] = await handle.db.select().from(queueProbes).where(eq(queueProbes.id, probeId));
    expect(probe?.attempts).toBe(1);
    expect(probe?.workedAt).not.toBeNull();
  });
});
