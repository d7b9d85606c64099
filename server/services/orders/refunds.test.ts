import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { patientActor, staffActor } from "@/server/events/actor";
import type { Db } from "@/db/client";
import { rewards, services, users } from "@/db/schema";
import type { ProgramSettingsInput } from "@/server/schemas/program";
import { createTestDb, itConcurrently } from "@/server/testing/db";
import { clinicOf, codeOf, DEMO_SLUG, firstService, key, signUpPatient, userByEmail, paymentEvent } from "@/server/testing/fixtures";
import { adjustBalance, reverseRewardByHand } from "@/server/services/referrals/controls";
import { DAILY_JOB_ACTOR, expireRewards } from "@/server/services/rewards/expiry";
import { balances } from "@/server/services/rewards/ledger";
import { checkout, recordPaidOrder, refundOrder } from "./orders";
import { TEST_CARDS, TestPaymentProvider } from "./payment-provider";
import { getProgram, settingsOf, updateProgram } from "@/server/services/programs/programs";
import { approveReferral } from "@/server/services/referrals/review";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let clinicId: string;
let serviceId: string;
let cheapServiceId: string;
let adminId: string;
let defaults: ProgramSettingsInput;
const DAY_MS = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  clinicId = (await clinicOf(db, DEMO_SLUG)).id;
  serviceId = (await firstService(db, clinicId)).id;
  adminId = (await userByEmail(db, "admin@demo.test")).id;
  defaults = settingsOf(await getProgram({ db, clinicId }));
  // $20, less than the $50 referrer reward, so a reward can be partly spent.
  const [cheap] = await db.insert(services).values({ clinicId, name: "Fluoride varnish", priceCents: 2000 }).returning();
  cheapServiceId = cheap?.id ?? "";
});
afterAll(() => handle.drop());
beforeEach(async () => {
  await updateProgram({ db, actor: staffActor(adminId, clinicId), clinicId }, { settings: { ...defaults, holdDays: 30, velocityLimitPerDay: 100 } });
});

async function pair(email?: string) {
  const referrer = (await signUpPatient(db)).userId;
  const referee = (await signUpPatient(db, { code: await codeOf(db, referrer), email })).userId;
  return { referrer, referee };
}
const pay = (patientId: string, service = serviceId) =>
  recordPaidOrder({ db, actor: paymentEvent(clinicId), clinicId }, { patientId, items: [{ serviceId: service, quantity: 1 }], idempotencyKey: key() });
const referrerReward = async (referrerId: string) =>
  (await db.select().from(rewards).where(and(eq(rewards.patientId, referrerId), eq(rewards.side, "referrer"))))[0];
const refund = (orderId: string, reason = "treatment cancelled") => refundOrder({ db, actor: staffActor(adminId, clinicId), clinicId }, { orderId, reason });
const asAdmin = () => ({ db, actor: staffActor(adminId, clinicId), clinicId });

describe("issue 7 item 1: a refund returns only value whose grant is still live", () => {
  it("value from a reward reversed since stays gone when the order it paid for is refunded", async () => {
    const { referrer, referee } = await pair();
    await pay(referee);
    const spent = await pay(referrer);
    expect(spent.creditAppliedCents).toBe(5000);
    const reward = await referrerReward(referrer);
    const report = await reverseRewardByHand(asAdmin(), { rewardId: reward?.id ?? "", reason: "duplicate account" });
    expect(report).toMatchObject({ reversed: 0, alreadyRedeemed: 5000 });

    await refund(spent.id);
    expect((await balances(asAdmin(), { patientId: referrer })).credit).toBe(0);
    expect((await pay(referrer)).creditAppliedCents).toBe(0);
  });

  it("gives back what came from a live grant and keeps back what came from the reversed one", async () => {
    const { referrer, referee } = await pair();
    await pay(referee);
    await adjustBalance(asAdmin(), { patientId: referrer, unit: "credit", amount: 1000, reason: "goodwill", idempotencyKey: key() });
    const spent = await pay(referrer);
    expect(spent.creditAppliedCents).toBe(6000);
    await reverseRewardByHand(asAdmin(), { rewardId: (await referrerReward(referrer))?.id ?? "", reason: "duplicate account" });
    await refund(spent.id);
    expect((await balances(asAdmin(), { patientId: referrer })).credit).toBe(1000);
  });

  it("value from a grant that expired and was closed since stays gone", async () => {
    await updateProgram({ db, actor: staffActor(adminId, clinicId), clinicId }, { settings: { ...defaults, rewardExpiryDays: 30 } });
    const { referrer, referee } = await pair();
    await pay(referee);
    const spent = await pay(referrer, cheapServiceId);
    expect(spent.creditAppliedCents).toBe(2000);
    await expireRewards({ db, actor: DAILY_JOB_ACTOR, clinicId: null }, { now: new Date(Date.now() + 31 * DAY_MS) });
    expect((await balances(asAdmin(), { patientId: referrer })).credit).toBe(0);
    await refund(spent.id);
    expect((await balances(asAdmin(), { patientId: referrer })).credit).toBe(0);
  });
});

async function lockWaiters(): Promise<number> {
  const rows = (await db.execute(sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`)) as unknown as { n: number }[];
  return rows[0]?.n ?? 0;
}

async function until(check: () => Promise<boolean>) {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("the condition never held");
}

describe("issue 7 item 2: a reversal decides on the reward as it stands under its lock", () => {
  itConcurrently("an approval that lands while a reversal waits: the approved grant is closed, not left spendable", async () => {
    const { referrer, referee } = await pair(`x${key()}@mailinator.com`);
    await pay(referee);
    const reward = await referrerReward(referrer);
    expect(reward?.status).toBe("held");
    const [referral] = await db.select({ id: rewards.referralId }).from(rewards).where(eq(rewards.id, reward?.id ?? ""));

    // Another transaction holds the referrer's row, so the reversal reads the reward and then waits.
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let locked = () => {};
    const holding = new Promise<void>((resolve) => (locked = resolve));
    const blocker = db.transaction(async (tx) => {
      await tx.select({ id: users.id }).from(users).where(eq(users.id, referrer)).for("no key update");
      locked();
      await gate;
    });
    await holding;
    const reversal = reverseRewardByHand(asAdmin(), { rewardId: reward?.id ?? "", reason: "duplicate account" });
    await until(async () => (await lockWaiters()) >= 1);
    await approveReferral(asAdmin(), { referralId: referral?.id ?? "", reason: "called them" });
    release();
    await blocker;
    const report = await reversal;

    expect(report).toMatchObject({ reversed: 5000, alreadyRedeemed: 0 });
    expect((await referrerReward(referrer))?.status).toBe("reversed");
    expect((await balances(asAdmin(), { patientId: referrer })).credit).toBe(0);
  });
});

describe("issue 7 item 7: one lock order for refunds and checkouts", () => {
  itConcurrently("refunds of qualifying orders racing checkouts by their referrers all succeed, and never pay twice", async () => {
    const payments = new TestPaymentProvider(db);
    const card = { number: TEST_CARDS.success, expiry: "12/39", cvc: "123" };
    const cases = [];
    for (let i = 0; i < 12; i++) {
      const { referrer, referee } = await pair();
      cases.push({ referrer, qualifying: await pay(referee) });
    }
    const results = await Promise.allSettled(
      cases.flatMap(({ referrer, qualifying }) => [
        refund(qualifying.id, "patient asked"),
        checkout({ db, actor: patientActor(referrer, clinicId), clinicId }, payments, { patientId: referrer, items: [{ serviceId, quantity: 1 }], card, idempotencyKey: key() }),
      ]),
    );
    expect(results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    for (const [i, { referrer }] of cases.entries()) {
      const refunded = results[2 * i] as PromiseFulfilledResult<Awaited<ReturnType<typeof refund>>>;
      const bought = results[2 * i + 1] as PromiseFulfilledResult<Awaited<ReturnType<typeof checkout>>>;
      const report = refunded.value.reversal?.find((r) => r.patientId === referrer);
      // Either the checkout spent the reward first (reported redeemed) or the reversal took it first.
      expect((report?.reversed ?? 0) + bought.value.creditAppliedCents).toBe(5000);
      expect(report?.alreadyRedeemed).toBe(bought.value.creditAppliedCents);
      expect((await balances(asAdmin(), { patientId: referrer })).credit).toBe(0);
    }
  });
});

describe("rule N2: one charge per checkout", () => {
  it("the test processor keeps no card data, only the last four digits", async () => {
    const { referee } = await pair();
    const order = await checkout({ db, actor: patientActor(referee, clinicId), clinicId }, new TestPaymentProvider(db), {
      patientId: referee,
      items: [{ serviceId, quantity: 1 }],
      card: { number: TEST_CARDS.success, expiry: "12/39", cvc: "123" },
      idempotencyKey: key(),
    });
    expect(order).toMatchObject({ status: "paid", cardLast4: "4242" });
    const stored = JSON.stringify(await db.execute(sql`select * from test_payment_attempts where id = ${order.paymentRef}`));
    expect(stored).not.toContain(TEST_CARDS.success);
    expect(stored).toContain("4242");
  });
});
