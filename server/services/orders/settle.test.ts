import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { patientActor, staffActor } from "@/server/events/actor";
import type { Db } from "@/db/client";
import { creditLedger, orders } from "@/db/schema";
import type { CardInput } from "@/server/schemas/orders";
import { createTestDb } from "@/server/testing/db";
import { clinicOf, codeOf, DEMO_SLUG, firstService, key, signUpPatient, userByEmail } from "@/server/testing/fixtures";
import { STUB_SECRET_KEY, StripeStub } from "@/server/testing/stripe-stub";
import { adjustBalance } from "@/server/services/referrals/controls";
import { balances } from "@/server/services/rewards/ledger";
import { OPEN_ATTEMPT_GRACE_MS, RECONCILE_JOB_ACTOR, reconcilePendingOrders } from "./settle";
import { checkout } from "./orders";
import { TEST_CARDS, TestPaymentProvider, type PaymentAttempt } from "./payment-provider";
import { StripePaymentProvider } from "./stripe-provider";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let clinicId: string;
let serviceId: string;
let adminId: string;
const card = { number: TEST_CARDS.success, expiry: "12/39", cvc: "123" };

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  clinicId = (await clinicOf(db, DEMO_SLUG)).id;
  serviceId = (await firstService(db, clinicId)).id;
  adminId = (await userByEmail(db, "admin@demo.test")).id;
});
afterAll(() => handle.drop());

/** The process dies inside confirm: before the processor acted, or after it charged the card. */
class DiesInConfirm extends TestPaymentProvider {
  constructor(
    db: Db,
    private readonly charged: boolean,
  ) {
    super(db);
  }
  override async confirm(reference: string, card: CardInput): Promise<PaymentAttempt> {
    if (this.charged) await super.confirm(reference, card);
    throw new Error("the process died here");
  }
}

async function patientWithCredit() {
  const patient = (await signUpPatient(db)).userId;
  await adjustBalance(asAdmin(), { patientId: patient, unit: "credit", amount: 1000, reason: "goodwill", idempotencyKey: key() });
  return patient;
}
const buy = (payments: TestPaymentProvider, patientId: string, idempotencyKey: string) =>
  checkout({ db, actor: patientActor(patientId, clinicId), clinicId }, payments, { patientId, items: [{ serviceId, quantity: 1 }], card, idempotencyKey });
const orderOf = async (patientId: string) => (await db.select().from(orders).where(eq(orders.patientId, patientId)))[0];
const asAdmin = () => ({ db, actor: staffActor(adminId, clinicId), clinicId });

describe("issue 7 item 3, built-in processor: its attempts outlive the process that made them", () => {
  it("charged, then the process died: a retry with the key, on another instance, finds the payment and marks the order paid", async () => {
    const patient = await patientWithCredit();
    const k = key();
    await expect(buy(new DiesInConfirm(db, true), patient, k)).rejects.toThrow(/died/);
    expect(await orderOf(patient)).toMatchObject({ status: "pending", creditAppliedCents: 1000 });
    expect((await orderOf(patient))?.paymentRef).toMatch(/^tpa_/);

    const retried = await buy(new TestPaymentProvider(db), patient, k);
    expect(retried).toMatchObject({ status: "paid", cardLast4: "4242", creditAppliedCents: 1000 });
    expect(await db.select().from(orders).where(eq(orders.patientId, patient))).toHaveLength(1);
  });

  it("died before the charge: a retry leaves it pending (its checkout may be alive); past the grace, reconciliation voids it and returns the credit once", async () => {
    const patient = await patientWithCredit();
    const k = key();
    await expect(buy(new DiesInConfirm(db, false), patient, k)).rejects.toThrow(/died/);
    const payments = new TestPaymentProvider(db);
    expect(await buy(payments, patient, k)).toMatchObject({ status: "pending" });
    await reconcilePendingOrders({ db, actor: RECONCILE_JOB_ACTOR, clinicId: null }, payments);
    expect((await orderOf(patient))?.status).toBe("pending");

    const later = new Date(Date.now() + OPEN_ATTEMPT_GRACE_MS + 60_000);
    await Promise.all([reconcilePendingOrders({ db, actor: RECONCILE_JOB_ACTOR, clinicId: null }, payments, { now: later }), reconcilePendingOrders({ db, actor: RECONCILE_JOB_ACTOR, clinicId: null }, payments, { now: later })]);
    await reconcilePendingOrders({ db, actor: RECONCILE_JOB_ACTOR, clinicId: null }, payments, { now: later, batchSize: 1 });
    const order = await orderOf(patient);
    expect(order).toMatchObject({ status: "declined" });
    expect(await payments.retrieve(order?.paymentRef ?? "")).toMatchObject({ status: "canceled" });
    const releases = await db.select().from(creditLedger).where(eq(creditLedger.orderId, order?.id ?? ""));
    expect(releases.filter((e) => e.kind === "redemption_release")).toHaveLength(1);
    expect((await balances(asAdmin(), { patientId: patient })).credit).toBe(1000);
    // Once void, a late confirmation cannot charge it.
    expect(await payments.confirm(order?.paymentRef ?? "", card)).toMatchObject({ status: "canceled" });
  });

  it("a declined card voids the attempt, so nothing can charge it later", async () => {
    const patient = await patientWithCredit();
    const payments = new TestPaymentProvider(db);
    const order = await checkout({ db, actor: patientActor(patient, clinicId), clinicId }, payments, { patientId: patient, items: [{ serviceId, quantity: 1 }], card: { ...card, number: TEST_CARDS.declined }, idempotencyKey: key() });
    expect(order).toMatchObject({ status: "declined", declineReason: expect.stringMatching(/declined/) });
    expect(await payments.retrieve(order.paymentRef ?? "")).toMatchObject({ status: "canceled" });
    expect((await balances(asAdmin(), { patientId: patient })).credit).toBe(1000);
  });

  it("a pending order recorded as paid outside the portal is paid by the run", async () => {
    const referrer = (await signUpPatient(db)).userId;
    const patient = (await signUpPatient(db, { code: await codeOf(db, referrer) })).userId;
    const [stuck] = await db.insert(orders).values({ clinicId, patientId: patient, totalCents: 1000, chargedCents: 1000, paymentMethod: "in_clinic", idempotencyKey: key() }).returning();
    await reconcilePendingOrders({ db, actor: RECONCILE_JOB_ACTOR, clinicId: null }, new TestPaymentProvider(db));
    expect((await orderOf(patient))?.id).toBe(stuck?.id);
    expect((await orderOf(patient))?.status).toBe("paid");
    expect((await balances(asAdmin(), { patientId: referrer })).credit).toBe(5000);
  });
});

describe("the Stripe provider against a local server speaking its API", () => {
  it("pays with the success card, declines and voids with the declined one", async () => {
    const stub = new StripeStub();
    const payments = new StripePaymentProvider({ secretKey: STUB_SECRET_KEY, apiBase: await stub.start() });
    try {
      const payer = await patientWithCredit();
      const paid = await checkout({ db, actor: patientActor(payer, clinicId), clinicId }, payments, { patientId: payer, items: [{ serviceId, quantity: 1 }], card, idempotencyKey: key() });
      expect(paid).toMatchObject({ status: "paid", cardLast4: "4242" });
      expect(stub.intents.get(paid.paymentRef ?? "")).toMatchObject({ status: "succeeded", amount: paid.chargedCents });

      const patient = await patientWithCredit();
      const declined = await checkout({ db, actor: patientActor(patient, clinicId), clinicId }, payments, { patientId: patient, items: [{ serviceId, quantity: 1 }], card: { ...card, number: TEST_CARDS.declined }, idempotencyKey: key() });
      expect(declined).toMatchObject({ status: "declined", cardLast4: "0002", declineReason: expect.stringMatching(/declined/) });
      expect(stub.intents.get(declined.paymentRef ?? "")?.status).toBe("canceled");
      expect((await balances(asAdmin(), { patientId: patient })).credit).toBe(1000);
    } finally {
      await stub.stop();
    }
  });
});
