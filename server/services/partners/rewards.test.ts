import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { staffActor } from "@/server/events/actor";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { b2bPayments, b2bRewards, partnerReferrers } from "@/db/schema";
import { platformCtx, wonPractice } from "@/server/testing/b2b";
import { createTestDb, itConcurrently } from "@/server/testing/db";
import { pgRefusal } from "@/server/testing/pg-errors";
import { userByEmail } from "@/server/testing/fixtures";
import { saveCustomer } from "./crm";
import { runDailyJobs } from "./jobs";
import { B2B_DAILY_ACTOR } from "./lifecycle";
import { recordPayment } from "./payments";
import { updateB2bProgram } from "./program";
import { addMonths, rewardsOf, shareOf } from "./rewards";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let actorId = "";
beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  actorId = (await userByEmail(db, "platform@demo.test")).id;
});
afterAll(() => handle.drop());

/** The platform admin's service context. */
const asPlatform = () => platformCtx(db, staffActor(actorId, null));

const usePlan = (rewardPlan: "flat_credit" | "recurring_share") =>
  updateB2bProgram(asPlatform(), { rewardPlan, flatCreditCents: 50_000, shareBasisPoints: 1_000, shareMonths: 24, audience: "anyone" });

/** A monthly maintenance payment for the month starting `periodStart`, received that day. */
const monthly = (referralId: string, periodStart: string, amountCents = 30_000, key = randomUUID()) =>
  recordPayment(asPlatform(), { referralId, kind: "maintenance", amountCents, receivedOn: periodStart, periodStart, periodEnd: addMonths(periodStart, 1), idempotencyKey: key, asOf: "2030-01-01" });

describe("rule B4: the cent-rounding rule of the recurring share", () => {
  it("rounds each payment's share half up to the cent", () => {
    expect(shareOf(33_335, 1_000)).toBe(3_334); // 10% of $333.35 = $33.335 -> $33.34
    expect(shareOf(33_325, 1_000)).toBe(3_333); // $33.325 -> $33.33 (half up, not to even)
    expect(shareOf(33_334, 1_000)).toBe(3_333); // $33.334 -> $33.33
    expect(shareOf(5, 1_000)).toBe(1); // half a cent rounds up
    expect(shareOf(4, 1_000)).toBe(0);
    expect(shareOf(99_999_999, 1_000)).toBe(10_000_000);
  });

  it("adds months keeping the day where the month has it", () => {
    expect(addMonths("2025-01-31", 1)).toBe("2025-02-28");
    expect(addMonths("2025-01-15", 24)).toBe("2027-01-15");
    expect(addMonths("2025-03-01", -3)).toBe("2024-12-01");
  });
});

describe("rule B4 (b): recurring share", () => {
  beforeAll(() => usePlan("recurring_share"));

  it("earns 10% of a $333.35 payment as $33.34", async () => {
    const { referral } = await wonPractice(db, actorId, { contractStart: "2025-01-01", launchDate: "2025-01-15" });
    await monthly(referral.id, "2025-01-01", 33_335);
    expect((await rewardsOf(asPlatform(), { referralId: referral.id })).map((r) => r.amountCents)).toEqual([3_334]);
  });

  it("pays month 24 and not month 25", async () => {
    const { referral } = await wonPractice(db, actorId, { contractStart: "2025-01-01", launchDate: "2025-01-15" });
    for (let month = 0; month < 25; month++) await monthly(referral.id, addMonths("2025-01-01", month));
    const rewards = await rewardsOf(asPlatform(), { referralId: referral.id });
    expect(rewards).toHaveLength(24);
    const paidPeriods = await db.select({ start: b2bPayments.periodStart }).from(b2bPayments).innerJoin(b2bRewards, eq(b2bRewards.paymentId, b2bPayments.id)).where(eq(b2bPayments.referralId, referral.id));
    expect(paidPeriods.map((p) => p.start).sort().at(-1)).toBe("2026-12-01");
    expect(rewards.every((r) => r.amountCents === 3_000 && r.settlement === "payout")).toBe(true);
  });

  it("earns nothing for periods after a contract that ended early", async () => {
    const { referral } = await wonPractice(db, actorId, { contractStart: "2025-01-01", launchDate: "2025-01-15" });
    await monthly(referral.id, "2025-01-01");
    const { endContract } = await import("./lifecycle");
    await endContract(asPlatform(), { referralId: referral.id, contractEnd: "2025-03-31" });
    await monthly(referral.id, "2025-03-01");
    await monthly(referral.id, "2025-04-01");
    expect((await rewardsOf(asPlatform(), { referralId: referral.id })).map((r) => r.earnedOn)).toEqual(["2025-01-01", "2025-03-01"]);
  });

  it("earns nothing from a payment that is not maintenance", async () => {
    const { referral } = await wonPractice(db, actorId, { contractStart: "2025-01-01", launchDate: "2025-01-15" });
    await recordPayment(asPlatform(), { referralId: referral.id, kind: "other", amountCents: 99_900, receivedOn: "2025-01-02", periodStart: "2025-01-01", periodEnd: "2025-01-01", idempotencyKey: randomUUID() });
    expect(await rewardsOf(asPlatform(), { referralId: referral.id })).toEqual([]);
  });

  it("a payment recorded twice is one payment and one share", async () => {
    const { referral } = await wonPractice(db, actorId, { contractStart: "2025-01-01", launchDate: "2025-01-15" });
    const key = randomUUID();
    expect((await monthly(referral.id, "2025-02-01", 30_000, key)).replayed).toBe(false);
    const again = await monthly(referral.id, "2025-02-01", 30_000, key);
    expect(again.replayed).toBe(true);
    expect(await db.select().from(b2bPayments).where(eq(b2bPayments.referralId, referral.id))).toHaveLength(1);
    expect(await rewardsOf(asPlatform(), { referralId: referral.id })).toHaveLength(1);
    // The same key for a different payment is refused, not silently merged.
    await expect(monthly(referral.id, "2025-02-01", 12_345, key)).rejects.toThrow(/already used/);
  });

  itConcurrently("a payment recorded twice at once is one payment and one share", async () => {
    const { referral } = await wonPractice(db, actorId, { contractStart: "2025-01-01", launchDate: "2025-01-15" });
    const key = randomUUID();
    const results = await Promise.all([monthly(referral.id, "2025-02-01", 30_000, key), monthly(referral.id, "2025-02-01", 30_000, key)]);
    expect(results.map((r) => r.replayed).sort()).toEqual([false, true]);
    expect(await db.select().from(b2bPayments).where(eq(b2bPayments.referralId, referral.id))).toHaveLength(1);
    expect(await rewardsOf(asPlatform(), { referralId: referral.id })).toHaveLength(1);
  });

  it("one practice never earns under the other plan: the database refuses a flat credit on a share referral", async () => {
    const { referral } = await wonPractice(db, actorId, { contractStart: "2025-01-01", launchDate: "2025-01-15" });
    const refusal = await pgRefusal(
      db.insert(b2bRewards).values({ referralId: referral.id, plan: "flat_credit", referrerId: referral.referrerId, amountCents: 50_000, settlement: "payout", earnedOn: "2025-02-01", memo: "sneaky" }),
    );
    // The reward's plan must be its referral's plan: a foreign key on (referral, plan).
    expect(refusal).toMatchObject({ code: "23503", constraint: "b2b_rewards_referral_plan_fk" });
  });
});

describe("rule B4 (a): flat credit", () => {
  beforeAll(() => usePlan("flat_credit"));

  async function referrerWithBilling(email: string, billing: { billingCycle: "monthly" | "annual"; nextBillingDate: string | null; renewalDate: string | null }) {
    const customer = await saveCustomer(asPlatform(), { name: `Referrer Practice ${email}`, website: "", phone: "", postalCode: "10001", country: "US", status: "active", ...billing });
    return async (referrerId: string) => db.update(partnerReferrers).set({ customerId: customer.id }).where(eq(partnerReferrers.id, referrerId));
  }

  it("is earned once the practice has launched and paid, once, on the referrer's next invoice", async () => {
    const link = await referrerWithBilling("monthly@ref.example", { billingCycle: "monthly", nextBillingDate: "2026-04-01", renewalDate: null });
    const { referral } = await wonPractice(db, actorId, { contractStart: "2026-02-01", launchDate: "2026-03-01" }, { referrerEmail: "monthly@ref.example" });
    await link(referral.referrerId);
    // Paid before launch: nothing yet.
    await recordPayment(asPlatform(), { referralId: referral.id, kind: "other", amountCents: 100_000, receivedOn: "2026-02-10", periodStart: "2026-02-01", periodEnd: "2026-02-28", idempotencyKey: randomUUID(), asOf: "2026-02-10" });
    expect(await rewardsOf(asPlatform(), { referralId: referral.id })).toEqual([]);
    // Launch day arrives: the daily job grants it, and again grants nothing more.
    await runDailyJobs(platformCtx(db, B2B_DAILY_ACTOR), { asOf: "2026-03-01" });
    await runDailyJobs(platformCtx(db, B2B_DAILY_ACTOR), { asOf: "2026-03-01" });
    await monthly(referral.id, "2026-03-01");
    const rewards = await rewardsOf(asPlatform(), { referralId: referral.id });
    expect(rewards).toHaveLength(1);
    expect(rewards[0]).toMatchObject({ plan: "flat_credit", amountCents: 50_000, settlement: "invoice_credit", applyOn: "2026-04-01", earnedOn: "2026-03-01" });
    // The database itself refuses a second flat credit for the practice.
    const refusal = await pgRefusal(
      db.insert(b2bRewards).values({ referralId: referral.id, plan: "flat_credit", referrerId: referral.referrerId, amountCents: 50_000, settlement: "payout", earnedOn: "2026-03-02", memo: "again" }),
    );
    expect(refusal).toMatchObject({ code: "23505", constraint: "b2b_rewards_one_flat_per_practice" });
    const edit = await pgRefusal(db.update(b2bRewards).set({ amountCents: 1 }).where(eq(b2bRewards.referralId, referral.id)));
    // The append-only trigger raises integrity_constraint_violation (23000).
    expect(edit).toMatchObject({ code: "23000", message: expect.stringMatching(/append-only/) });
  });

  it.each([
    ["2026-08-15", "invoice_credit"],
    ["2026-10-02", "refund"],
    ["2026-02-01", "refund"],
  ] as const)("a referrer prepaid for a year renewing on %s gets a %s", async (renewalDate, settlement) => {
    const email = `annual-${renewalDate}@ref.example`;
    const link = await referrerWithBilling(email, { billingCycle: "annual", nextBillingDate: null, renewalDate });
    const { referral } = await wonPractice(db, actorId, { contractStart: "2026-03-01", launchDate: "2026-04-01" }, { referrerEmail: email });
    await link(referral.referrerId);
    await monthly(referral.id, "2026-04-01");
    expect((await rewardsOf(asPlatform(), { referralId: referral.id })).map((r) => r.settlement)).toEqual([settlement]);
  });

  it("a referrer who is not a customer is paid the credit out", async () => {
    const { referral } = await wonPractice(db, actorId, { contractStart: "2026-03-01", launchDate: "2026-03-01" }, { referrerEmail: "outsider@ref.example" });
    await monthly(referral.id, "2026-03-05");
    expect((await rewardsOf(asPlatform(), { referralId: referral.id })).map((r) => [r.settlement, r.amountCents])).toEqual([["payout", 50_000]]);
  });
});
