import { TRPCError } from "@trpc/server";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { auditLog, creditLedger, referrals, rewards } from "@/db/schema";
import { staffActor } from "@/server/events/actor";
import type { ProgramSettingsInput } from "@/server/schemas/program";
import { createTestDb, itConcurrently } from "@/server/testing/db";
import { callerAs, clinicOf, codeOf, DEMO_SLUG, firstService, key, paymentEvent, signUpPatient, userByEmail } from "@/server/testing/fixtures";
import { balances } from "@/server/services/rewards/ledger";
import { recordPaidOrder } from "@/server/services/orders/orders";
import { getProgram, settingsOf, updateProgram } from "@/server/services/programs/programs";

/**
 * Rules C4 and A1: attributing a referral by hand and re-checking one follow the same rules as
 * a sign-up with a code (P1, P6, P7, P10), not only their refusals.
 */
let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let clinicId: string;
let serviceId: string;
let adminId: string;
let staffId: string;
let defaults: ProgramSettingsInput;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  clinicId = (await clinicOf(db, DEMO_SLUG)).id;
  serviceId = (await firstService(db, clinicId)).id;
  adminId = (await userByEmail(db, "admin@demo.test")).id;
  staffId = (await userByEmail(db, "staff@demo.test")).id;
  defaults = settingsOf(await getProgram({ db, clinicId }));
});
afterAll(() => handle.drop());
beforeEach(async () => {
  await setProgram({});
});

const setProgram = (changes: Partial<ProgramSettingsInput>) =>
  updateProgram({ db, actor: staffActor(adminId, clinicId), clinicId }, { settings: { ...defaults, velocityLimitPerDay: 100, ...changes } });
const staff = () => callerAs(db, staffId);
const attribute = (refereeId: string, referrerCode: string) => staff().review.attribute({ refereeId, referrerCode, reason: "They told us at the front desk" });
const pay = (patientId: string) => recordPaidOrder({ db, actor: paymentEvent(clinicId), clinicId }, { patientId, items: [{ serviceId, quantity: 1 }], idempotencyKey: key() });
const referralOf = async (refereeId: string) => (await db.select().from(referrals).where(eq(referrals.refereeId, refereeId)))[0];
const rewardsOf = (referralId: string) => db.select().from(rewards).where(eq(rewards.referralId, referralId));
const asAdmin = () => ({ db, actor: staffActor(adminId, clinicId), clinicId });
async function grantsOf(referralId: string) {
  const ids = (await rewardsOf(referralId)).map((r) => r.id);
  return ids.length ? db.select().from(creditLedger).where(and(inArray(creditLedger.rewardId, ids), eq(creditLedger.kind, "grant"))) : [];
}
const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error);
/** A patient who signed up without a code: the one whom staff attribute by hand. */
const walkIn = async (overrides: { phone?: string } = {}) => (await signUpPatient(db, overrides)).userId;

describe("rule P1: a paused program refuses manual attribution and re-checks, and says so", () => {
  it("records no referral by hand while paused", async () => {
    const referrer = (await signUpPatient(db)).userId;
    const referee = await walkIn();
    await setProgram({ enabled: false });
    const error = await refusal(attribute(referee, await codeOf(db, referrer)));
    expect(error).toBeInstanceOf(TRPCError);
    expect(error).toMatchObject({ code: "PRECONDITION_FAILED", message: expect.stringMatching(/program is paused/) });
    expect(await referralOf(referee)).toBeUndefined();
  });

  it("re-checks nothing while paused, then qualifies once resumed", async () => {
    const referrer = (await signUpPatient(db)).userId;
    const { userId: referee, referralId } = await signUpPatient(db, { code: await codeOf(db, referrer) });
    await setProgram({ enabled: false });
    await pay(referee);
    expect((await referralOf(referee))?.status).toBe("signed_up");
    const error = await refusal(staff().review.rerun({ referralId: referralId ?? "", reason: "Paid while we were paused" }));
    expect(error).toMatchObject({ code: "PRECONDITION_FAILED", message: expect.stringMatching(/program is paused/) });
    expect(await rewardsOf(referralId ?? "")).toEqual([]);

    await setProgram({ enabled: true });
    await expect(staff().review.rerun({ referralId: referralId ?? "", reason: "Program resumed" })).resolves.toEqual({ status: "qualified" });
    expect(await balances(asAdmin(), { patientId: referrer })).toEqual({ credit: 5000, points: 0 });
  });
});

describe("rule P6: an ineligible referral by hand is recorded, with its reason, and earns nothing", () => {
  it("self-referral: the referee's phone is the referrer's", async () => {
    const phone = `555${String(Date.now()).slice(-7)}`;
    const referrer = (await signUpPatient(db, { phone })).userId;
    const referee = await walkIn({ phone });
    await pay(referee);
    await expect(attribute(referee, await codeOf(db, referrer))).resolves.toMatchObject({ status: "ineligible", ineligibleReason: "self_referral" });
    const referral = await referralOf(referee);
    expect(referral).toMatchObject({ status: "ineligible", ineligibleReason: "self_referral", source: "staff", referrerId: referrer });
    expect(await rewardsOf(referral?.id ?? "")).toEqual([]);
    expect(await balances(asAdmin(), { patientId: referrer })).toEqual({ credit: 0, points: 0 });
    // Staff read why in the referral list.
    const listed = (await staff().clinic.referrals({ page: 1 })).rows.find((r) => r.id === referral?.id);
    expect(listed?.ineligibleReason).toBe("self_referral");
  });

  it("an existing patient: another account at the clinic has the referee's phone", async () => {
    const phone = `556${String(Date.now()).slice(-7)}`;
    await walkIn({ phone });
    const referrer = (await signUpPatient(db)).userId;
    const referee = await walkIn({ phone });
    await pay(referee);
    await expect(attribute(referee, await codeOf(db, referrer))).resolves.toMatchObject({ status: "ineligible", ineligibleReason: "existing_patient" });
    const referral = await referralOf(referee);
    expect(referral).toMatchObject({ status: "ineligible", ineligibleReason: "existing_patient" });
    expect(await rewardsOf(referral?.id ?? "")).toEqual([]);
    const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.action, "referral.attribute"), eq(auditLog.targetId, referral?.id ?? "")));
    expect(audit?.after).toMatchObject({ status: "ineligible", ineligibleReason: "existing_patient" });
  });

  it("the referee's own code is refused: nobody refers themselves", async () => {
    const referee = await walkIn();
    await expect(attribute(referee, await codeOf(db, referee))).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/own referrer/) });
    expect(await referralOf(referee)).toBeUndefined();
  });
});

describe("rule P10: over a cap, a referral by hand is tracked, earns nothing and says why", () => {
  const caps = [
    { kind: "lifetime count", settings: { maxRewardedLifetime: 1 }, why: "Over the limit of 1 rewarded referrals per referrer" },
    { kind: "per-year count", settings: { maxRewardedPerYear: 1 }, why: "Over the limit of 1 rewarded referrals per referrer per year" },
    { kind: "yearly value", settings: { maxRewardValuePerYearCents: 7500 }, why: "Over the yearly reward value cap of $75.00 per referrer" },
  ] as const;
  for (const cap of caps) {
    it(`the ${cap.kind} cap`, async () => {
      await setProgram(cap.settings);
      const referrer = (await signUpPatient(db)).userId;
      await pay((await signUpPatient(db, { code: await codeOf(db, referrer) })).userId);
      expect((await balances(asAdmin(), { patientId: referrer })).credit).toBe(5000);

      const referee = await walkIn();
      await pay(referee);
      const { referralId, status } = await attribute(referee, await codeOf(db, referrer));
      expect(status).toBe("qualified");
      const earned = (await rewardsOf(referralId)).find((r) => r.side === "referrer");
      expect(earned).toMatchObject({ status: "withheld", statusReason: cap.why });
      expect(await grantsOf(referralId)).toEqual([]);
      expect((await balances(asAdmin(), { patientId: referrer })).credit).toBe(5000);
      // What staff see beside the reward.
      const seen = (await staff().review.patientRewards({ patientId: referrer })).rewards.find((r) => r.referralId === referralId);
      expect(seen).toMatchObject({ status: "withheld", statusReason: cap.why });
    });
  }
});

describe("rule N1: another clinic's code is refused like an unknown one", () => {
  it("answers the same, and records nothing", async () => {
    const referee = await walkIn();
    const otherPatient = (await userByEmail(db, "patient@second.test")).id;
    const theirs = await refusal(attribute(referee, await codeOf(db, otherPatient)));
    const unknown = await refusal(attribute(referee, "ZZZZZZZZZZ"));
    expect(theirs).toBeInstanceOf(TRPCError);
    expect(unknown).toBeInstanceOf(TRPCError);
    expect({ code: (theirs as TRPCError).code, message: (theirs as TRPCError).message }).toEqual({ code: (unknown as TRPCError).code, message: (unknown as TRPCError).message });
    expect((theirs as TRPCError).code).toBe("BAD_REQUEST");
    expect(await referralOf(referee)).toBeUndefined();
  });
});

describe("rule P7: a referee who already qualified qualifies at once, exactly once", () => {
  itConcurrently("however many times the staff member double-clicks Record referral", async () => {
    const referrer = (await signUpPatient(db)).userId;
    const referee = await walkIn();
    await pay(referee);
    const code = await codeOf(db, referrer);
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => attribute(referee, code)));
    const done = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    expect(done).toHaveLength(1);
    expect(done[0]?.status).toBe("qualified");
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "CONFLICT" });
    const referralId = done[0]?.referralId ?? "";
    expect((await rewardsOf(referralId)).map((r) => `${r.side}:${r.status}`).sort()).toEqual(["referee:released", "referrer:released"]);
    expect(await grantsOf(referralId)).toHaveLength(2);
    expect(await balances(asAdmin(), { patientId: referrer })).toEqual({ credit: 5000, points: 0 });
    expect(await balances(asAdmin(), { patientId: referee })).toEqual({ credit: 3000, points: 0 });
  });

  itConcurrently("however many times Re-check is pressed at once", async () => {
    const referrer = (await signUpPatient(db)).userId;
    const { userId: referee, referralId } = await signUpPatient(db, { code: await codeOf(db, referrer) });
    await setProgram({ enabled: false });
    await pay(referee);
    await setProgram({ enabled: true });
    const results = await Promise.all(Array.from({ length: 8 }, () => staff().review.rerun({ referralId: referralId ?? "", reason: "Paid while we were paused" })));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill("qualified"));
    expect(await rewardsOf(referralId ?? "")).toHaveLength(2);
    expect(await grantsOf(referralId ?? "")).toHaveLength(2);
    expect(await balances(asAdmin(), { patientId: referrer })).toEqual({ credit: 5000, points: 0 });
    expect(await balances(asAdmin(), { patientId: referee })).toEqual({ credit: 3000, points: 0 });
  });
});
