import { spawn, type ChildProcess } from "node:child_process";
import { and, eq, inArray } from "drizzle-orm";
import { patientActor, staffActor } from "@/server/events/actor";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { creditLedger, orders, rewards } from "@/db/schema";
import { createTestDb, onPostgres } from "@/server/testing/db";
import { clinicOf, codeOf, DEMO_SLUG, firstService, key, signUpPatient, userByEmail, paymentEvent } from "@/server/testing/fixtures";
import { STUB_SECRET_KEY, StripeStub } from "@/server/testing/stripe-stub";
import { adjustBalance } from "@/server/services/referrals/controls";
import { balances } from "@/server/services/rewards/ledger";
import { RECONCILE_JOB_ACTOR, reconcilePendingOrders } from "./settle";
import { checkout, recordPaidOrder } from "./orders";
import { getProgram, settingsOf, updateProgram } from "@/server/services/programs/programs";
import { StripePaymentProvider } from "./stripe-provider";

/**
 * Issue 7 item 3: a checkout converges whatever instant its process dies. A real server process
 * runs checkouts against this file's database through the `stripe` client, pointed at a local
 * server that speaks the PaymentIntents API and holds its replies; the process is SIGKILLed
 * while they are held. Only on PostgreSQL: the child needs a database it can connect to.
 */
const describeOnPostgres = onPostgres ? describe : describe.skip;

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let clinicId: string;
let serviceId: string;
let adminId: string;
const stub = new StripeStub();
let apiBase: string;
const SECRET_KEY = STUB_SECRET_KEY;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  clinicId = (await clinicOf(db, DEMO_SLUG)).id;
  serviceId = (await firstService(db, clinicId)).id;
  adminId = (await userByEmail(db, "admin@demo.test")).id;
  apiBase = await stub.start();
});
afterAll(async () => {
  await stub.stop();
  await handle.drop();
});

/** A patient with $10 of credit and a 15% discount waiting for their next order. */
async function patientWithCreditAndDiscount() {
  const referrer = (await signUpPatient(db)).userId;
  const patient = (await signUpPatient(db, { code: await codeOf(db, referrer) })).userId;
  await recordPaidOrder({ db, actor: paymentEvent(clinicId), clinicId }, { patientId: patient, items: [{ serviceId, quantity: 1 }], idempotencyKey: key() });
  await adjustBalance(asAdmin(), { patientId: patient, unit: "credit", amount: 1000, reason: "goodwill", idempotencyKey: key() });
  return patient;
}

/** Starts a process that runs these checkouts, and SIGKILLs it once the stub holds `held` requests. */
async function checkoutsKilledMidway(jobs: { patientId: string; idempotencyKey: string }[], held: number) {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server/testing/checkout-process.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: handle.kind === "postgres" ? handle.url : "",
      STRIPE_SECRET_KEY: SECRET_KEY,
      STRIPE_API_BASE: apiBase,
      CHECKOUTS: JSON.stringify(jobs.map((j) => ({ ...j, clinicId, serviceId }))),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
  const start = stub.held.length;
  await Promise.race([
    stub.heldAtLeast(start + held),
    exited.then((how) => {
      throw new Error(`the checkout process ended on its own (${String(how)}) before the provider held its replies:\n${output}`);
    }),
  ]);
  child.kill("SIGKILL");
  expect(await exited).toBe("SIGKILL");
}

const orderByKey = async (idempotencyKey: string) => (await db.select().from(orders).where(and(eq(orders.clinicId, clinicId), eq(orders.idempotencyKey, idempotencyKey))))[0];
const ledgerOf = (orderId: string) => db.select().from(creditLedger).where(eq(creditLedger.orderId, orderId));
const asAdmin = () => ({ db, actor: staffActor(adminId, clinicId), clinicId });

describeOnPostgres("issue 7 item 3: checkouts converge after the server process is killed", () => {
  it("SIGKILL while the provider holds confirm: pending with the reference stored, then settled from what the provider says", { timeout: 120_000 }, async () => {
    await updateProgram({ db, actor: staffActor(adminId, clinicId), clinicId }, { settings: { ...settingsOf(await getProgram({ db, clinicId })), refereeReward: { kind: "percent", amount: 15 }, velocityLimitPerDay: 100 } });
    const cases = { retried: "", reconciled: "", voided: "", processing: "", neverCreated: "" };
    const patients: Record<keyof typeof cases, string> = { retried: "", reconciled: "", voided: "", processing: "", neverCreated: "" };
    for (const name of Object.keys(cases) as (keyof typeof cases)[]) {
      patients[name] = await patientWithCreditAndDiscount();
      cases[name] = key();
    }
    const before = Object.fromEntries(await Promise.all(Object.entries(patients).map(async ([name, id]) => [name, await balances(asAdmin(), { patientId: id })])));

    // 1. Four checkouts reach confirm and the process dies while the provider holds the replies.
    stub.holdConfirms = true;
    await checkoutsKilledMidway(
      (["retried", "reconciled", "voided", "processing"] as const).map((name) => ({ patientId: patients[name], idempotencyKey: cases[name] })),
      4,
    );
    // 2. One dies while its attempt is being created: the provider never made it.
    stub.holdConfirms = false;
    stub.holdCreates = true;
    await checkoutsKilledMidway([{ patientId: patients.neverCreated, idempotencyKey: cases.neverCreated }], 1);
    stub.holdCreates = false;

    const pending = Object.fromEntries(await Promise.all(Object.entries(cases).map(async ([name, k]) => [name, await orderByKey(k)])));
    for (const name of ["retried", "reconciled", "voided", "processing"] as const) {
      const order = pending[name];
      expect(order).toMatchObject({ status: "pending", discountCents: 900, creditAppliedCents: 1000 });
      expect(order?.paymentRef).toBe(stub.intentFor(`order_${order?.id}`)?.id);
    }
    expect(pending.neverCreated).toMatchObject({ status: "pending", paymentRef: null, creditAppliedCents: 1000 });
    expect(stub.intentFor(`order_${pending.neverCreated?.id}`)).toBeUndefined();
    expect((await balances(asAdmin(), { patientId: patients.voided })).credit).toBe(0);

    // What the processor did meanwhile.
    stub.settle(pending.retried?.paymentRef ?? "", "succeeded");
    stub.settle(pending.reconciled?.paymentRef ?? "", "succeeded");
    stub.settle(pending.voided?.paymentRef ?? "", "canceled");
    stub.settle(pending.processing?.paymentRef ?? "", "processing");
    // Old orders, on a clock we control: age alone must release nothing.
    await db.update(orders).set({ createdAt: new Date(Date.now() - 3 * 24 * 60 * 60 * 1000) }).where(inArray(orders.id, [pending.processing?.id ?? "", pending.neverCreated?.id ?? ""]));

    const payments = new StripePaymentProvider({ secretKey: SECRET_KEY, apiBase });
    // 3. The patient presses Pay again with the same key: settled on the spot, charged once.
    const card = { number: "4242424242424242", expiry: "12/39", cvc: "123" };
    const retried = await checkout({ db, actor: patientActor(patients.retried, clinicId), clinicId }, payments, { patientId: patients.retried, items: [{ serviceId, quantity: 1 }], card, idempotencyKey: cases.retried });
    expect(retried).toMatchObject({ id: pending.retried?.id, status: "paid", cardLast4: "4242" });

    // 4. The reconciliation run settles the rest, however many runs overlap.
    await Promise.all([reconcilePendingOrders({ db, actor: RECONCILE_JOB_ACTOR, clinicId: null }, payments), reconcilePendingOrders({ db, actor: RECONCILE_JOB_ACTOR, clinicId: null }, payments)]);
    await reconcilePendingOrders({ db, actor: RECONCILE_JOB_ACTOR, clinicId: null }, payments);
    const after = async (name: keyof typeof cases) => orderByKey(cases[name]);
    expect(await after("reconciled")).toMatchObject({ status: "paid" });
    expect(await after("voided")).toMatchObject({ status: "declined" });
    expect(await after("neverCreated")).toMatchObject({ status: "declined" });
    expect(await after("processing")).toMatchObject({ status: "pending" });
    expect(stub.intentFor(`order_${pending.neverCreated?.id}`)?.status).toBe("canceled");

    // Credit and discount came back exactly once where the provider said the attempt cannot succeed.
    for (const name of ["voided", "neverCreated"] as const) {
      const entries = await ledgerOf(pending[name]?.id ?? "");
      expect(entries.filter((e) => e.kind === "redemption_release").map((e) => e.amountCents)).toEqual([1000]);
      expect(await balances(asAdmin(), { patientId: patients[name] })).toEqual(before[name]);
      const [voucher] = await db.select().from(rewards).where(eq(rewards.id, pending[name]?.discountRewardId ?? ""));
      expect(voucher?.usedByOrderId).toBeNull();
    }
    // Still drawn where the payment may yet succeed.
    expect((await ledgerOf(pending.processing?.id ?? "")).filter((e) => e.kind === "redemption_release")).toEqual([]);
    expect((await balances(asAdmin(), { patientId: patients.processing })).credit).toBe(0);
    for (const name of ["retried", "reconciled"] as const) expect((await balances(asAdmin(), { patientId: patients[name] })).credit).toBe(0);
  });
});
