import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { staffActor } from "@/server/events/actor";
import type { Db } from "@/db/client";
import { creditLedger } from "@/db/schema";
import type { ProgramSettingsInput } from "@/server/schemas/program";
import { createTestDb } from "@/server/testing/db";
import { clinicOf, codeOf, DEMO_SLUG, firstService, key, paymentEvent, SECOND_SLUG, signUpPatient, userByEmail } from "@/server/testing/fixtures";
import { DAILY_JOB_ACTOR, expireRewards, sendExpiryReminders } from "./expiry";
import { balances } from "./ledger";
import { recordPaidOrder } from "@/server/services/orders/orders";
import { getProgram, settingsOf, updateProgram } from "@/server/services/programs/programs";

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
const asAdmin = () => ({ db, actor: staffActor(adminId, clinicId), clinicId });
const allClinics = () => ({ db, actor: DAILY_JOB_ACTOR, clinicId: null });

describe("rule P12: the expiry run goes through every expired grant, batch after batch", () => {
  it("with a batch of 2, five expired grants and one already closed are all dealt with in one run", async () => {
    await setProgram({ rewardExpiryDays: 30, velocityLimitPerDay: 100 });
    const referees = [];
    for (let i = 0; i < 5; i++) {
      const { referee } = await pair();
      await pay(referee);
      referees.push(referee);
    }
    const later = new Date(Date.now() + 31 * DAY_MS);
    // One closed beforehand: a run must not stop at grants it has nothing to take from.
    await expireRewards(allClinics(), { now: later });
    const { referee: fresh } = await pair();
    await pay(fresh);
    const muchLater = new Date(Date.now() + 62 * DAY_MS);
    await expireRewards(allClinics(), { now: muchLater, batchSize: 2 });
    for (const patient of [...referees, fresh]) expect((await balances(asAdmin(), { patientId: patient })).credit).toBe(0);
    const entries = await db.select().from(creditLedger).where(and(inArray(creditLedger.patientId, [...referees, fresh]), eq(creditLedger.kind, "expiry")));
    expect(entries).toHaveLength(6);
  });

  it("with a batch of 2, a first run closes all of more than two due grants", async () => {
    await setProgram({ rewardExpiryDays: 30, velocityLimitPerDay: 100 });
    const holders = [];
    for (let i = 0; i < 5; i++) {
      const { referee } = await pair();
      await pay(referee);
      holders.push(referee);
    }
    await expireRewards(allClinics(), { now: new Date(Date.now() + 93 * DAY_MS), batchSize: 2 });
    for (const patient of holders) expect((await balances(asAdmin(), { patientId: patient })).credit).toBe(0);
  });
});

describe("rule A6: each clinic's daily run expires its own clinic's rewards", () => {
  it("rule A6: an expiry run scoped to another clinic leaves this clinic's expired grants; its own run closes them", async () => {
    await setProgram({ rewardExpiryDays: 30, velocityLimitPerDay: 100 });
    const { referrer, referee } = await pair();
    await pay(referee);
    const later = new Date(Date.now() + 31 * DAY_MS);
    const other = (await clinicOf(db, SECOND_SLUG)).id;
    expect(await expireRewards({ db, actor: DAILY_JOB_ACTOR, clinicId: other }, { now: later })).toBe(0);
    expect(await sendExpiryReminders({ db, actor: DAILY_JOB_ACTOR, clinicId: other }, { now: later })).toBe(0);
    expect((await balances(asAdmin(), { patientId: referrer })).credit).toBeGreaterThan(0);
    expect(await expireRewards({ db, actor: DAILY_JOB_ACTOR, clinicId }, { now: later })).toBeGreaterThanOrEqual(2);
    for (const patient of [referrer, referee]) expect((await balances(asAdmin(), { patientId: patient })).credit).toBe(0);
  });
});
