import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { staffActor } from "@/server/events/actor";
import type { Db } from "@/db/client";
import { referrals, rewards, users } from "@/db/schema";
import type { ProgramSettingsInput } from "@/server/schemas/program";
import { createTestDb } from "@/server/testing/db";
import { clinicOf, codeOf, DEMO_SLUG, firstService, key, signUpPatient, userByEmail, paymentEvent } from "@/server/testing/fixtures";
import { expectRefusedBy, SQLSTATE } from "@/server/testing/pg-errors";
import { balances } from "@/server/services/rewards/ledger";
import { recordPaidOrder } from "@/server/services/orders/orders";
import { getProgram, settingsOf, updateProgram } from "@/server/services/programs/programs";
import { rejectReferral } from "./review";

/** Rules P10 and P11 and the government-program guardrail, at their edges, on a clock the test sets. */
let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let clinicId: string;
let serviceId: string;
let adminId: string;
let defaults: ProgramSettingsInput;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  clinicId = (await clinicOf(db, DEMO_SLUG)).id;
  serviceId = (await firstService(db, clinicId)).id;
  adminId = (await userByEmail(db, "admin@demo.test")).id;
  defaults = settingsOf(await getProgram({ db, clinicId }));
});
afterAll(() => handle.drop());
beforeEach(async () => {
  await setProgram({});
});

const setProgram = (changes: Partial<ProgramSettingsInput>) =>
  updateProgram({ db, actor: staffActor(adminId, clinicId), clinicId }, { settings: { ...defaults, ...changes } });

async function pair() {
  const referrer = (await signUpPatient(db)).userId;
  const referee = (await signUpPatient(db, { code: await codeOf(db, referrer) })).userId;
  return { referrer, referee };
}
const pay = (patientId: string) => recordPaidOrder({ db, actor: paymentEvent(clinicId), clinicId }, { patientId, items: [{ serviceId, quantity: 1 }], idempotencyKey: key() });
const DAY_MS = 24 * 60 * 60 * 1000;
const rewardsFor = (patientId: string) => db.select().from(rewards).where(eq(rewards.patientId, patientId));
const referralOf = async (refereeId: string) => (await db.select().from(referrals).where(eq(referrals.refereeId, refereeId)))[0];
const asAdmin = () => ({ db, actor: staffActor(adminId, clinicId), clinicId });

describe("rule P10: the per-year count cap, over a rolling year", () => {
  it("counts rewarded referrals of the last 365 days: one a day inside still counts, one a day outside no longer does", async () => {
    await setProgram({ maxRewardedPerYear: 2, velocityLimitPerDay: 100 });
    const referrer = (await signUpPatient(db)).userId;
    const refer = async () => pay((await signUpPatient(db, { code: await codeOf(db, referrer) })).userId);
    for (let i = 0; i < 3; i++) await refer();
    const earned = async () => (await rewardsFor(referrer)).filter((r) => r.side === "referrer").sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    expect((await earned()).map((r) => r.status)).toEqual(["released", "released", "withheld"]);
    expect((await earned())[2]?.statusReason).toMatch(/2 rewarded referrals per referrer per year/);

    const first = (await earned())[0]?.id ?? "";
    await db.update(rewards).set({ createdAt: new Date(Date.now() - 364 * DAY_MS) }).where(eq(rewards.id, first));
    await refer();
    expect((await earned()).at(-1)?.status).toBe("withheld");

    await db.update(rewards).set({ createdAt: new Date(Date.now() - 366 * DAY_MS) }).where(eq(rewards.id, first));
    await refer();
    expect((await earned()).at(-1)?.status).toBe("released");
    expect((await balances(asAdmin(), { patientId: referrer })).credit).toBe(3 * 5000);
  });

  it("the yearly value cap counts milestone bonuses too", async () => {
    await setProgram({ maxRewardValuePerYearCents: 10_000, milestones: [{ threshold: 2, kind: "credit", amount: 2500 }], velocityLimitPerDay: 100 });
    const referrer = (await signUpPatient(db)).userId;
    for (let i = 0; i < 2; i++) await pay((await signUpPatient(db, { code: await codeOf(db, referrer) })).userId);
    const [bonus] = (await rewardsFor(referrer)).filter((r) => r.side === "milestone");
    expect(bonus).toMatchObject({ status: "withheld" });
    expect(bonus?.statusReason).toMatch(/yearly reward value cap of \$100\.00/);
    expect((await balances(asAdmin(), { patientId: referrer })).credit).toBe(10_000);
  });
});


describe("rule P11: a milestone lost to a rejected referral can be earned again", () => {
  it("a later referral reaching the same count pays the bonus", async () => {
    await setProgram({ milestones: [{ threshold: 2, kind: "credit", amount: 2500 }], velocityLimitPerDay: 100 });
    const referrer = (await signUpPatient(db)).userId;
    await pay((await signUpPatient(db, { code: await codeOf(db, referrer) })).userId);
    const flagged = (await signUpPatient(db, { code: await codeOf(db, referrer), email: `x${key()}@mailinator.com` })).userId;
    await pay(flagged);
    expect((await rewardsFor(referrer)).filter((r) => r.side === "milestone").map((r) => r.status)).toEqual(["held"]);
    await rejectReferral(asAdmin(), { referralId: (await referralOf(flagged))?.id ?? "", reason: "same household" });

    const later = (await signUpPatient(db, { code: await codeOf(db, referrer) })).userId;
    await pay(later);
    const bonuses = (await rewardsFor(referrer)).filter((r) => r.side === "milestone");
    expect(bonuses.map((r) => r.status).sort()).toEqual(["released", "withheld"]);
    expect(bonuses.find((r) => r.status === "released")?.referralId).toBe((await referralOf(later))?.id);
    expect((await balances(asAdmin(), { patientId: referrer })).credit).toBe(2 * 5000 + 2500);
  });

  it("the database still refuses a second live bonus for one milestone", async () => {
    await setProgram({ milestones: [{ threshold: 1, kind: "credit", amount: 2500 }] });
    const { referrer, referee } = await pair();
    await pay(referee);
    const [bonus] = (await rewardsFor(referrer)).filter((r) => r.side === "milestone");
    if (!bonus) throw new Error("no bonus");
    const { id: _id, createdAt: _c, updatedAt: _u, ...copy } = bonus;
    await expectRefusedBy(db.insert(rewards).values(copy), { code: SQLSTATE.uniqueViolation, constraint: "rewards_one_live_milestone" });
  });
});


describe("government-program guardrail: the rewards of one qualification count together", () => {
  it("a referrer reward and a milestone decided at once cannot pass the yearly cap between them", async () => {
    await setProgram({
      referrerReward: { kind: "credit", amount: 1500 },
      milestones: [{ threshold: 1, kind: "credit", amount: 1500 }],
      governmentItemCapCents: 1500,
      governmentYearCapCents: 2500,
    });
    const { referrer, referee } = await pair();
    await db.update(users).set({ governmentPayer: true }).where(eq(users.id, referrer));
    await pay(referee);
    const earned = await rewardsFor(referrer);
    expect(earned.find((r) => r.side === "referrer")).toMatchObject({ status: "released", amount: 1500 });
    expect(earned.find((r) => r.side === "milestone")?.statusReason).toMatch(/\$25\.00 yearly cap/);
    expect((await balances(asAdmin(), { patientId: referrer })).credit).toBe(1500);
  });
});

