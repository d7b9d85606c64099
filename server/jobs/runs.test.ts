import { patientActor, staffActor } from "@/server/events/actor";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { and, eq, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectPostgres, queryRows, type Db, type DbHandle } from "@/db/client";
import { orders, scheduledRuns } from "@/db/schema";
import type { CardInput } from "@/server/schemas/orders";
import { adjustBalance } from "@/server/services/referrals/controls";
import { checkout } from "@/server/services/orders/orders";
import { TEST_CARDS, TestPaymentProvider, type PaymentAttempt } from "@/server/services/orders/payment-provider";
import { createTestDb, itConcurrently, onPostgres } from "@/server/testing/db";
import { callerAs, clinicOf, DEMO_SLUG, firstService, key, signUpPatient, userByEmail } from "@/server/testing/fixtures";
import { enqueue } from "@/server/queue/boss";
import { runByHand } from "./hand-runs";
import { startWorkers, type Workers } from "./worker";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
const timing = { maintenanceIntervalSeconds: 1, pollingIntervalSeconds: 0.5 };
const running: Workers[] = [];
const connections: DbHandle[] = [];

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
});
afterAll(async () => {
  for (const workers of running) await workers.stop();
  for (const connection of connections) await connection.close();
  await handle.drop();
});

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const jobCount = async (queue: string, states: string[]) =>
  Number(
    (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from pgboss.job where name = ${queue} and state::text in (${sql.join(states.map((s) => sql`${s}`), sql`, `)})`))[0]?.n,
  );

describe("rule A6: the scheduler on several instances", () => {
  itConcurrently("rule A6: two instances firing the same cron schedule make one run per period, each worked once", async () => {
    if (handle.kind !== "postgres") throw new Error("needs a server");
    const other = await connectPostgres(handle.url, { max: 10 });
    connections.push(other);
    const payments = new TestPaymentProvider(db);
    // Two app instances, each keeping the schedule and working every queue, on their own connections.
    running.push(await startWorkers(handle, { payments, timing, schedule: true }));
    running.push(await startWorkers(other, { payments: new TestPaymentProvider(other.db), timing, schedule: true }));

    // The cron fires the minute's tick on start; its reconciliation run is always due.
    const reconcile = await until("the tick's reconciliation run", async () => {
      const [run] = await db.select().from(scheduledRuns).where(and(eq(scheduledRuns.name, "reconcile"), eq(scheduledRuns.status, "succeeded")));
      return run;
    });
    await until("every run job worked", async () => (await jobCount("runs.clinic", ["created", "retry", "active"])) + (await jobCount("runs.platform", ["created", "retry", "active"])) === 0);
    for (const workers of running.splice(0)) await workers.stop();

    const schedules = await queryRows<{ name: string; cron: string }>(db, sql`select name, cron from pgboss.schedule`);
    expect(schedules).toEqual([{ name: "runs.tick", cron: "* * * * *" }]);
    const runs = await db.select().from(scheduledRuns);
    // One job per recorded run, whichever instance's tick sent it, and each run worked once.
    const sent = (await jobCount("runs.clinic", ["completed"])) + (await jobCount("runs.platform", ["completed"]));
    expect(sent).toBe(runs.length);
    expect(runs.filter((r) => r.name === "reconcile" && r.period === reconcile.period)).toHaveLength(1);
    for (const run of runs) expect(run, `${run.name} ${run.period}`).toMatchObject({ status: "succeeded", attempts: 1 });
  });
});

/** The payment provider cannot be reached for its first answer, then is back. */
class DownOnce extends TestPaymentProvider {
  calls = 0;
  override async retrieve(reference: string): Promise<PaymentAttempt> {
    this.calls += 1;
    if (this.calls === 1) throw new Error("connect ECONNREFUSED");
    return super.retrieve(reference);
  }
}

/** The process dies after the processor charged the card: the order stays pending for the reconciliation run. */
class DiesAfterCharge extends TestPaymentProvider {
  override async confirm(reference: string, card: CardInput): Promise<PaymentAttempt> {
    await super.confirm(reference, card);
    throw new Error("the process died here");
  }
}

describe("rule A6: a run that fails is recorded failed, retried and shown", () => {
  it("rule A6: a reconciliation run that throws is recorded failed with its error, retried by the queue, then succeeds, shown with its attempts", async () => {
    const clinicId = (await clinicOf(db, DEMO_SLUG)).id;
    const admin = (await userByEmail(db, "admin@demo.test")).id;
    const patient = (await signUpPatient(db)).userId;
    await adjustBalance({ db, actor: staffActor(admin, clinicId), clinicId }, { patientId: patient, unit: "credit", amount: 100, reason: "goodwill", idempotencyKey: key() });
    const items = [{ serviceId: (await firstService(db, clinicId)).id, quantity: 1 }];
    const card = { number: TEST_CARDS.success, expiry: "12/39", cvc: "123" };
    await checkout({ db, actor: patientActor(patient, clinicId), clinicId }, new DiesAfterCharge(db), { patientId: patient, items, card, idempotencyKey: key() }).catch(() => null);
    const [order] = await db.select().from(orders).where(eq(orders.patientId, patient));
    expect(order?.status).toBe("pending");

    for (const workers of running.splice(0)) await workers.stop();
    const payments = new DownOnce(db);
    running.push(await startWorkers(handle, { payments, timing, queues: ["runs.platform"] }));
    const period = "2026-06-01T09:00Z";
    await db.transaction((tx) => enqueue(tx, "runs.platform", { clinicId: null, run: "reconcile", period }));
    const ofPeriod = async () => (await db.select().from(scheduledRuns).where(and(eq(scheduledRuns.period, period), isNull(scheduledRuns.clinicId))))[0];

    const failed = await until("the failed attempt", async () => ((await ofPeriod())?.status === "failed" ? ofPeriod() : null));
    expect(failed).toMatchObject({ attempts: 1, lastError: "reconcile pending orders: 1 pending order(s) could not be reconciled" });
    // The error names a count only: nothing of the order or the provider's answer.
    expect(failed?.lastError).not.toContain(order?.id ?? "?");
    const platform = (await userByEmail(db, "platform@demo.test")).id;
    expect((await callerAs(db, platform).runs.platform()).find((r) => r.period === period)).toMatchObject({ status: "failed", attempts: 1 });

    const done = await until("the retry", async () => ((await ofPeriod())?.status === "succeeded" ? ofPeriod() : null));
    expect(done).toMatchObject({ attempts: 2, lastError: null, result: { ordersPaid: 1, ordersDeclined: 0, ordersPending: 0 } });
    expect((await db.select().from(orders).where(eq(orders.patientId, patient)))[0]?.status).toBe("paid");
    expect((await callerAs(db, platform).runs.platform()).find((r) => r.period === period)).toMatchObject({ status: "succeeded", attempts: 2, lastError: null });
    for (const workers of running.splice(0)) await workers.stop();
  });
});

describe("rule A6: runs by hand", () => {
  it("rule A6: a hand run of a period that already ran says so and does nothing", async () => {
    const clinicId = (await clinicOf(db, DEMO_SLUG)).id;
    const payments = new TestPaymentProvider(db);
    const ref = { name: "daily", clinicId, period: "2026-10-15" } as const;
    expect(await runByHand(db, payments, ref, "maple-street daily 2026-10-15")).toMatch(/^maple-street daily 2026-10-15: done/);
    expect(await runByHand(db, payments, ref, "maple-street daily 2026-10-15")).toMatch(/^maple-street daily 2026-10-15: already ran at .* \(1 attempt\(s\)\), nothing done$/);
    const [run] = await db.select().from(scheduledRuns).where(and(eq(scheduledRuns.clinicId, clinicId), eq(scheduledRuns.period, "2026-10-15")));
    expect(run).toMatchObject({ status: "succeeded", attempts: 1 });
  });

  it.runIf(onPostgres)(
    "rule A6: npm run jobs:daily twice for one day: the second prints that each run already ran",
    async () => {
      if (handle.kind !== "postgres") throw new Error("needs a server");
      const url = handle.url;
      const run = () => promisify(execFile)("npx", ["tsx", "scripts/jobs-daily.ts", "2026-11-20"], { env: { ...process.env, DATABASE_URL: url } });
      const first = (await run()).stdout.split("\n").filter((line) => line.includes(" daily 2026-11-20"));
      const second = (await run()).stdout.split("\n").filter((line) => line.includes(" daily 2026-11-20"));
      expect(first).toHaveLength(3);
      for (const line of first) expect(line).toMatch(/: done/);
      expect(second).toHaveLength(3);
      for (const line of second) expect(line).toMatch(/: already ran at .*, nothing done$/);
      const runs = await db.select().from(scheduledRuns).where(and(eq(scheduledRuns.name, "daily"), eq(scheduledRuns.period, "2026-11-20")));
      expect(runs.map((r) => r.attempts)).toEqual([1, 1, 1]);
    },
    120_000,
  );
});
