import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { patientActor, staffActor } from "@/server/events/actor";
import type { Db } from "@/db/client";
import { alias } from "drizzle-orm/pg-core";
import { creditLedger, orders, referrals, rewards } from "@/db/schema";
import { createTestDb, itConcurrently } from "@/server/testing/db";
import { clinicOf, codeOf, DEMO_SLUG, firstService, key, signUpPatient, userByEmail, paymentEvent } from "@/server/testing/fixtures";
import { expectRefusedBy, SQLSTATE } from "@/server/testing/pg-errors";
import { adjustBalance } from "@/server/services/referrals/controls";
import { markOrderPaid } from "@/server/services/orders/settle";
import { checkout, recordPaidOrder } from "@/server/services/orders/orders";
import { TEST_CARDS, TestPaymentProvider } from "@/server/services/orders/payment-provider";
import { getProgram, settingsOf, updateProgram } from "@/server/services/programs/programs";
import { creditBalance } from "./ledger";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let clinicId: string;
let serviceId: string;
let servicePrice: number;
let referrerId: string;
let payments: TestPaymentProvider;
const card = { number: TEST_CARDS.success, expiry: "12/39", cvc: "123" };
const grants = alias(creditLedger, "grants");
/** The holder's own view of their balance, as the portal reads it. */
const holder = (patientId: string) => ({ db, actor: patientActor(patientId, clinicId), clinicId });

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  payments = new TestPaymentProvider(db);
  const clinic = await clinicOf(db, DEMO_SLUG);
  clinicId = clinic.id;
  const service = await firstService(db, clinicId);
  serviceId = service.id;
  servicePrice = service.priceCents;
});
afterAll(() => handle.drop());

/** A referee of a referrer of their own, so no test trips another's velocity flag (rule P6). */
async function newReferee() {
  referrerId = (await signUpPatient(db)).userId;
  const { userId } = await signUpPatient(db, { code: await codeOf(db, referrerId) });
  return userId;
}

/** The ledger grants a referral released, with the side each paid. */
async function rewardsOf(referralRefereeId: string) {
  return db
    .select({ side: rewards.side, amountCents: creditLedger.amountCents, patientId: creditLedger.patientId })
    .from(creditLedger)
    .innerJoin(rewards, eq(rewards.id, creditLedger.rewardId))
    .innerJoin(referrals, eq(referrals.id, rewards.referralId))
    .where(and(eq(referrals.refereeId, referralRefereeId), eq(creditLedger.kind, "grant")));
}

describe("rule P7: the first paid order qualifies a referral exactly once", () => {
  it("releases $50 to the referrer and $30 to the referee on the first paid order", async () => {
    const refereeId = await newReferee();
    await recordPaidOrder({ db, actor: paymentEvent(clinicId), clinicId }, { patientId: refereeId, items: [{ serviceId, quantity: 1 }], idempotencyKey: key() });
    const rewards = await rewardsOf(refereeId);
    expect(rewards).toHaveLength(2);
    expect(rewards.find((r) => r.side === "referrer")).toMatchObject({ amountCents: 5000, patientId: referrerId });
    expect(rewards.find((r) => r.side === "referee")).toMatchObject({ amountCents: 3000, patientId: refereeId });
    const [referral] = await db.select().from(referrals).where(eq(referrals.refereeId, refereeId));
    expect(referral?.status).toBe("qualified");
  });

  itConcurrently("pays once when the same paid-order event arrives 50 times at once, and never for a second order", async () => {
    const refereeId = await newReferee();
    const eventKey = key();
    const deliveries = Array.from({ length: 50 }, () =>
      recordPaidOrder({ db, actor: paymentEvent(clinicId), clinicId }, { patientId: refereeId, items: [{ serviceId, quantity: 1 }], idempotencyKey: eventKey }),
    );
    const results = await Promise.allSettled(deliveries);
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    const orderIds = new Set(results.map((r) => (r.status === "fulfilled" ? r.value.id : null)));
    expect(orderIds.size).toBe(1);
    const ordersMade = await db.select().from(orders).where(eq(orders.patientId, refereeId));
    expect(ordersMade).toHaveLength(1);
    expect(ordersMade[0]?.status).toBe("paid");

    const rewards = await rewardsOf(refereeId);
    expect(rewards.map((r) => r.side).sort()).toEqual(["referee", "referrer"]);

    // A second, different paid order does not qualify the referral again.
    await recordPaidOrder({ db, actor: paymentEvent(clinicId), clinicId }, { patientId: refereeId, items: [{ serviceId, quantity: 1 }], idempotencyKey: key() });
    expect(await rewardsOf(refereeId)).toHaveLength(2);
  });

  itConcurrently("pays once when one pending order is confirmed paid 50 times at once", async () => {
    const refereeId = await newReferee();
    const [pending] = await db
      .insert(orders)
      .values({ clinicId, patientId: refereeId, totalCents: 1000, chargedCents: 1000, paymentMethod: "card", idempotencyKey: key() })
      .returning();
    if (!pending) throw new Error("no order");
    const results = await Promise.all(
      Array.from({ length: 50 }, () => markOrderPaid({ db, actor: paymentEvent(clinicId), clinicId }, { orderId: pending.id, paymentRef: "evt_1" })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await rewardsOf(refereeId)).toHaveLength(2);
  });

  it("is refused by the database when anything tries to write a second reward for one side", async () => {
    const refereeId = await newReferee();
    await recordPaidOrder({ db, actor: paymentEvent(clinicId), clinicId }, { patientId: refereeId, items: [{ serviceId, quantity: 1 }], idempotencyKey: key() });
    const [row] = await db
      .select()
      .from(rewards)
      .innerJoin(referrals, eq(referrals.id, rewards.referralId))
      .where(and(eq(referrals.refereeId, refereeId), eq(rewards.side, "referee")));
    if (!row) throw new Error("no reward");
    const { id: _id, createdAt: _c, updatedAt: _u, ...copy } = row.rewards;
    await expectRefusedBy(db.insert(rewards).values(copy), { code: SQLSTATE.uniqueViolation, constraint: "rewards_one_per_side" });
    const [grant] = await db.select().from(creditLedger).where(and(eq(creditLedger.rewardId, row.rewards.id), eq(creditLedger.kind, "grant")));
    if (!grant) throw new Error("no grant");
    const { id: _gid, createdAt: _gc, ...grantCopy } = grant;
    await expectRefusedBy(db.insert(creditLedger).values(grantCopy), { code: SQLSTATE.uniqueViolation, constraint: "credit_ledger_one_grant_per_reward" });
  });
});

describe("rule P9: credit applies by itself to the next order, and never below zero", () => {
  it("applies the referee's credit to the order after the qualifying one, soonest-expiring first, never more than the total", async () => {
    const refereeId = await newReferee();
    const first = await checkout({ db, actor: patientActor(refereeId, clinicId), clinicId }, payments, { patientId: refereeId, items: [{ serviceId, quantity: 1 }], card, idempotencyKey: key() });
    expect(first).toMatchObject({ status: "paid", creditAppliedCents: 0, chargedCents: servicePrice });
    expect(await creditBalance(holder(refereeId), { patientId: refereeId })).toBe(3000);

    const second = await checkout({ db, actor: patientActor(refereeId, clinicId), clinicId }, payments, { patientId: refereeId, items: [{ serviceId, quantity: 1 }], card, idempotencyKey: key() });
    expect(second).toMatchObject({ status: "paid", creditAppliedCents: Math.min(3000, servicePrice), chargedCents: servicePrice - Math.min(3000, servicePrice) });
    expect(await creditBalance(holder(refereeId), { patientId: refereeId })).toBe(3000 - Math.min(3000, servicePrice));
  });

  it("with several grants: the soonest-expiring first, and never more than the order total", async () => {
    const adminId = (await userByEmail(db, "admin@demo.test")).id;
    const defaults = settingsOf(await getProgram({ db, clinicId }));
    const setExpiry = (rewardExpiryDays: number | null) => updateProgram({ db, actor: staffActor(adminId, clinicId), clinicId }, { settings: { ...defaults, rewardExpiryDays, velocityLimitPerDay: 100 } });
    try {
      // One patient holds three grants: $15 by hand that never expires, a $50 reward expiring in
      // 90 days, and a $50 reward made later but expiring in 30 days (so age alone would pick wrong).
      await setExpiry(null);
      const patient = (await signUpPatient(db)).userId;
      await adjustBalance({ db, actor: staffActor(adminId, clinicId), clinicId }, { patientId: patient, unit: "credit", amount: 1500, reason: "goodwill", idempotencyKey: key() });
      for (const days of [90, 30]) {
        await setExpiry(days);
        const friend = (await signUpPatient(db, { code: await codeOf(db, patient) })).userId;
        await recordPaidOrder({ db, actor: paymentEvent(clinicId), clinicId }, { patientId: friend, items: [{ serviceId, quantity: 1 }], idempotencyKey: key() });
      }
      expect(await creditBalance(holder(patient), { patientId: patient })).toBe(1500 + 5000 + 5000);

      const order = await checkout({ db, actor: patientActor(patient, clinicId), clinicId }, payments, { patientId: patient, items: [{ serviceId, quantity: 1 }], card, idempotencyKey: key() });
      expect(order).toMatchObject({ status: "paid", totalCents: servicePrice, creditAppliedCents: servicePrice, chargedCents: 0 });
      const draws = await db
        .select({ taken: creditLedger.amountCents, expiresAt: grants.expiresAt })
        .from(creditLedger)
        .innerJoin(grants, eq(grants.id, creditLedger.grantId))
        .where(and(eq(creditLedger.orderId, order.id), eq(creditLedger.kind, "redemption")));
      const days = (d: Date | null) => (d ? Math.round((d.getTime() - Date.now()) / 86_400_000) : null);
      // All of the 30-day grant, then the rest from the 90-day one; the never-expiring $15 is untouched.
      expect(draws.map((d) => ({ taken: -d.taken, days: days(d.expiresAt) })).sort((a, b) => (a.days ?? 0) - (b.days ?? 0))).toEqual([
        { taken: 5000, days: 30 },
        { taken: servicePrice - 5000, days: 90 },
      ]);
      expect(await creditBalance(holder(patient), { patientId: patient })).toBe(11_500 - servicePrice);
    } finally {
      await updateProgram({ db, actor: staffActor(adminId, clinicId), clinicId }, { settings: defaults });
    }
  });

  itConcurrently("two checkouts competing for one credit never apply more than it holds", async () => {
    const refereeId = await newReferee();
    await recordPaidOrder({ db, actor: paymentEvent(clinicId), clinicId }, { patientId: refereeId, items: [{ serviceId, quantity: 1 }], idempotencyKey: key() });
    expect(await creditBalance(holder(refereeId), { patientId: refereeId })).toBe(3000);
    const [a, b] = await Promise.all(
      [key(), key()].map((k) => checkout({ db, actor: patientActor(refereeId, clinicId), clinicId }, payments, { patientId: refereeId, items: [{ serviceId, quantity: 1 }], card, idempotencyKey: k })),
    );
    expect((a?.creditAppliedCents ?? 0) + (b?.creditAppliedCents ?? 0)).toBe(3000);
    expect(await creditBalance(holder(refereeId), { patientId: refereeId })).toBe(0);
  });

  it("gives the credit back when the card is declined", async () => {
    const refereeId = await newReferee();
    await recordPaidOrder({ db, actor: paymentEvent(clinicId), clinicId }, { patientId: refereeId, items: [{ serviceId, quantity: 1 }], idempotencyKey: key() });
    const declined = await checkout({ db, actor: patientActor(refereeId, clinicId), clinicId }, payments, {
      patientId: refereeId,
      items: [{ serviceId, quantity: 2 }],
      card: { ...card, number: TEST_CARDS.declined },
      idempotencyKey: key(),
    });
    expect(declined.status).toBe("declined");
    expect(declined.declineReason).toMatch(/declined/);
    expect(await creditBalance(holder(refereeId), { patientId: refereeId })).toBe(3000);
  });

  itConcurrently("a double-submitted checkout charges once", async () => {
    const refereeId = await newReferee();
    const k = key();
    const results = await Promise.all(
      [1, 2].map(() => checkout({ db, actor: patientActor(refereeId, clinicId), clinicId }, payments, { patientId: refereeId, items: [{ serviceId, quantity: 1 }], card, idempotencyKey: k })),
    );
    expect(results[0]?.id).toBe(results[1]?.id);
    expect(await db.select().from(orders).where(eq(orders.patientId, refereeId))).toHaveLength(1);
  });

  it("the ledger refuses edits, deletions and overdraws in the database itself", async () => {
    const refereeId = await newReferee();
    await recordPaidOrder({ db, actor: paymentEvent(clinicId), clinicId }, { patientId: refereeId, items: [{ serviceId, quantity: 1 }], idempotencyKey: key() });
    const [grant] = await db.select().from(creditLedger).where(eq(creditLedger.patientId, refereeId));
    if (!grant) throw new Error("no grant");
    await expectRefusedBy(db.update(creditLedger).set({ amountCents: 999_999 }).where(eq(creditLedger.id, grant.id)), { code: SQLSTATE.integrityViolation });
    await expectRefusedBy(db.delete(creditLedger).where(eq(creditLedger.id, grant.id)), { code: SQLSTATE.integrityViolation });
    await expectRefusedBy(db.insert(creditLedger).values({ clinicId, patientId: refereeId, kind: "redemption", amountCents: -3001, grantId: grant.id }), {
      code: SQLSTATE.checkViolation,
    });
    const [{ total } = { total: 0 }] = await db
      .select({ total: sql<number>`sum(${creditLedger.amountCents})`.mapWith(Number) })
      .from(creditLedger)
      .where(eq(creditLedger.patientId, refereeId));
    expect(total).toBe(3000);
  });
});
