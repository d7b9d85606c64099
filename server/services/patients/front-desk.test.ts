import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { auditLog, referrals, users } from "@/db/schema";
import { createTestDb } from "@/server/testing/db";
import { callerAs, codeOf, key, signUpPatient, userByEmail } from "@/server/testing/fixtures";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let staffId: string;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  staffId = (await userByEmail(db, "staff@demo.test")).id;
});
afterAll(() => handle.drop());

const email = () => `desk-${key()}@example.com`;

describe("the front desk adds a patient by hand (rules P2, P5, P6)", () => {
  it("with a friend's code: the patient has a code at once and a referral to the friend, audited with the staff member", async () => {
    const friend = (await signUpPatient(db)).userId;
    const desk = callerAs(db, staffId);
    const added = await desk.patients.add({ firstName: "Counter", lastName: "Walkin", email: email(), referralCode: await codeOf(db, friend) });
    expect(added.referralId).not.toBeNull();
    expect(await codeOf(db, added.patientId)).toMatch(/^[A-Z0-9]+$/);
    const [referral] = await db.select().from(referrals).where(eq(referrals.refereeId, added.patientId));
    expect(referral?.referrerId).toBe(friend);
    const [user] = await db.select().from(users).where(eq(users.id, added.patientId));
    expect(user?.passwordHash).toBeNull();
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.targetId, added.patientId));
    expect(entry).toMatchObject({ action: "patient.create", actorId: staffId, actorKind: "staff" });
  });

  it("without a code: a patient and no referral", async () => {
    const added = await callerAs(db, staffId).patients.add({ firstName: "No", lastName: "Code", email: email() });
    expect(added.referralId).toBeNull();
    expect(await db.select().from(referrals).where(eq(referrals.refereeId, added.patientId))).toEqual([]);
  });

  it("the same eligibility rules: a patient's own details at the desk make an ineligible self-referral, not a reward (P6)", async () => {
    const friendEmail = email();
    const friend = (await signUpPatient(db, { email: friendEmail, phone: "555-201-3344" })).userId;
    const added = await callerAs(db, staffId).patients.add({ firstName: "Same", lastName: "Person", email: `other-${friendEmail}`, phone: "555-201-3344", referralCode: await codeOf(db, friend) });
    const [referral] = await db.select().from(referrals).where(eq(referrals.refereeId, added.patientId));
    expect(referral).toMatchObject({ status: "ineligible", ineligibleReason: "self_referral" });
  });

  it("an email already registered, an unknown code or a typo is refused with the field, and adds nobody", async () => {
    const desk = callerAs(db, staffId);
    const taken = email();
    await desk.patients.add({ firstName: "First", lastName: "Time", email: taken });
    const count = async () => (await db.select({ id: users.id }).from(users)).length;
    const before = await count();
    await expect(desk.patients.add({ firstName: "Second", lastName: "Time", email: taken.toUpperCase() })).rejects.toThrow(/already registered here/);
    await expect(desk.patients.add({ firstName: "Bad", lastName: "Code", email: email(), referralCode: "NOPE123456" })).rejects.toThrow(/couldn't find the referral code/);
    await expect(desk.patients.add({ firstName: "Typo", lastName: "Mail", email: "name@example" })).rejects.toThrow(/valid email/);
    await expect(desk.patients.add({ firstName: "Nul\u0000", lastName: "Byte", email: email() })).rejects.toThrow(/control characters/);
    expect(await count()).toBe(before);
  });
});
