import { and, eq, sql } from "drizzle-orm";
import { composeForEvent } from "@/server/services/messages/compose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { staffActor, systemActor } from "@/server/events/actor";
import type { Db } from "@/db/client";
import { creditLedger, domainEvents, outboxMessages, referrals, rewards, services, users } from "@/db/schema";
import type { ProgramSettingsInput } from "@/server/schemas/program";
import { createTestDb, itConcurrently } from "@/server/testing/db";
import { clinicOf, codeOf, DEMO_SLUG, firstService, key, signUpPatient, userByEmail, paymentEvent } from "@/server/testing/fixtures";
import { recordAttendance, recordBooking } from "@/server/services/orders/appointments";
import { adjustBalance, rotateCode } from "./controls";
import { listMessages } from "@/server/messaging/outbox";
import { DAILY_JOB_ACTOR, expireRewards, runPatientProgramDaily } from "@/server/services/rewards/expiry";
import { balances } from "@/server/services/rewards/ledger";
import { recordPaidOrder, refundOrder } from "@/server/services/orders/orders";
import { getProgram, settingsOf, updateProgram } from "@/server/services/programs/programs";
import { approveReferral, rejectReferral } from "./review";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let clinicId: string;
let serviceId: string;
let adminId: string;
let defaults: ProgramSettingsInput;
let cheapServiceId: string;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  clinicId = (await clinicOf(db, DEMO_SLUG)).id;
  serviceId = (await firstService(db, clinicId)).id;
  adminId = (await userByEmail(db, "admin@demo.test")).id;
  defaults = settingsOf(await getProgram({ db, clinicId }));
  // $20, less than the $50 referrer reward, so a reward can be partly spent (rule P13).
  const [cheap] = await db.insert(services).values({ clinicId, name: "Fluoride varnish", priceCents: 2000 }).returning();
  cheapServiceId = cheap?.id ?? "";
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
const pay = (patientId: string, idempotencyKey = key()) =>
  recordPaidOrder({ db, actor: paymentEvent(clinicId), clinicId }, { patientId, items: [{ serviceId, quantity: 1 }], idempotencyKey });
const payFor = (patientId: string, service: string) =>
  recordPaidOrder({ db, actor: paymentEvent(clinicId), clinicId }, { patientId, items: [{ serviceId: service, quantity: 1 }], idempotencyKey: key() });
const DAY_MS = 24 * 60 * 60 * 1000;
const rewardsFor = (patientId: string) => db.select().from(rewards).where(eq(rewards.patientId, patientId));
const referralOf = async (refereeId: string) => (await db.select().from(referrals).where(eq(referrals.refereeId, refereeId)))[0];
const asAdmin = () => ({ db, actor: staffActor(adminId, clinicId), clinicId });
const allClinics = () => ({ db, actor: DAILY_JOB_ACTOR, clinicId: null });

describe("rule P14: a referral keeps the terms in force when it was made", () => {
  it("a settings change mid-way leaves an existing referral's reward as it was", async () => {
    const old = await pair();
    await setProgram({ refereeReward: { kind: "credit", amount: 4500 }, referrerReward: { kind: "points", amount: 200 } });
    const fresh = await pair();
    await pay(old.referee);
    await pay(fresh.referee);
    expect(await balances(asAdmin(), { patientId: old.referee })).toEqual({ credit: 3000, points: 0 });
    expect(await balances(asAdmin(), { patientId: old.referrer })).toEqual({ credit: 5000, points: 0 });
    expect(await balances(asAdmin(), { patientId: fresh.referee })).toEqual({ credit: 4500, points: 0 });
    expect(await balances(asAdmin(), { patientId: fresh.referrer })).toEqual({ credit: 0, points: 200 });
  });

  it("bumps the terms version only when the terms text changes", async () => {
    const before = (await getProgram({ db, clinicId })).version;
    const same = await setProgram({ holdDays: 3 });
    expect(same.version.termsVersion).toBe(before.termsVersion);
    const changed = await setProgram({ termsText: `${defaults.termsText} New clause.` });
    expect(changed.version.termsVersion).toBe(before.termsVersion + 1);
  });
});

describe("rule P8: a percent discount applies to the next order once", () => {
  it("takes the percent off the referee's next order, rounded down to the cent, and never again", async () => {
    await setProgram({ refereeReward: { kind: "percent", amount: 15 } });
    const { referee } = await pair();
    await pay(referee);
    const second = await pay(referee);
    expect(second.discountCents).toBe(Math.floor((second.totalCents * 15) / 100));
    const third = await pay(referee);
    expect(third.discountCents).toBe(0);
  });
});

describe("rule P7: the qualifying event the clinic chose", () => {
  it("first booked appointment qualifies; a paid order does not", async () => {
    await setProgram({ qualifyingEvent: "first_booked_appointment" });
    const { referee, referrer } = await pair();
    await pay(referee);
    expect((await referralOf(referee))?.status).toBe("signed_up");
    const k = key();
    await Promise.all([1, 2, 3].map(() => recordBooking({ db, actor: staffActor(adminId, clinicId), clinicId }, { patientId: referee, scheduledFor: new Date(), idempotencyKey: k })));
    expect((await referralOf(referee))?.status).toBe("qualified");
    expect((await balances(asAdmin(), { patientId: referrer })).credit).toBe(5000);
  });

  itConcurrently("first attended appointment qualifies once, however often it is marked", async () => {
    await setProgram({ qualifyingEvent: "first_attended_appointment" });
    const { referee, referrer } = await pair();
    const booked = await recordBooking({ db, actor: staffActor(adminId, clinicId), clinicId }, { patientId: referee, scheduledFor: new Date(), idempotencyKey: key() });
    expect((await referralOf(referee))?.status).toBe("signed_up");
    await Promise.all(Array.from({ length: 10 }, () => recordAttendance({ db, actor: staffActor(adminId, clinicId), clinicId }, { appointmentId: booked.id })));
    expect((await balances(asAdmin(), { patientId: referrer })).credit).toBe(5000);
    expect(await rewardsFor(referrer)).toHaveLength(1);
  });
});

describe("rule P10: limits per referrer", () => {
  itConcurrently("over the lifetime limit the referral is tracked, earns nothing and says why, also under concurrent qualifications", async () => {
    await setProgram({ maxRewardedLifetime: 2, velocityLimitPerDay: 100 });
    const referrer = (await signUpPatient(db)).userId;
    const referees = await Promise.all(Array.from({ length: 5 }, async () => (await signUpPatient(db, { code: await codeOf(db, referrer) })).userId));
    await Promise.all(referees.map((r) => pay(r)));
    const earned = (await rewardsFor(referrer)).filter((r) => r.side === "referrer");
    expect(earned.filter((r) => r.status === "released")).toHaveLength(2);
    const withheld = earned.filter((r) => r.status === "withheld");
    expect(withheld).toHaveLength(3);
    expect(withheld[0]?.statusReason).toMatch(/limit of 2/);
    expect((await balances(asAdmin(), { patientId: referrer })).credit).toBe(10_000);
  });

  it("the yearly value cap holds", async () => {
    await setProgram({ maxRewardValuePerYearCents: 7500 });
    const referrer = (await signUpPatient(db)).userId;
    for (let i = 0; i < 3; i++) await pay((await signUpPatient(db, { code: await codeOf(db, referrer) })).userId);
    expect((await balances(asAdmin(), { patientId: referrer })).credit).toBe(5000);
  });
});

describe("rule P11: milestones are paid once", () => {
  it("pays the bonus at the Nth qualified referral and not again", async () => {
    await setProgram({ milestones: [{ threshold: 2, kind: "credit", amount: 2500 }], velocityLimitPerDay: 100 });
    const referrer = (await signUpPatient(db)).userId;
    for (let i = 0; i < 3; i++) await pay((await signUpPatient(db, { code: await codeOf(db, referrer) })).userId);
    const bonuses = (await rewardsFor(referrer)).filter((r) => r.side === "milestone");
    expect(bonuses).toHaveLength(1);
    expect((await balances(asAdmin(), { patientId: referrer })).credit).toBe(3 * 5000 + 2500);
  });
});

describe("rule P12: expiry is a ledger entry", () => {
  itConcurrently("expires what is left of a grant, once, even run twice at the same time", async () => {
    await setProgram({ rewardExpiryDays: 30, expiryReminderDays: 7 });
    const { referee } = await pair();
    await pay(referee);
    const later = new Date(Date.now() + 31 * 24 * 60 * 60 * 1000);
    await Promise.all([expireRewards(allClinics(), { now: later }), expireRewards(allClinics(), { now: later })]);
    await expireRewards(allClinics(), { now: later });
    expect((await balances(asAdmin(), { patientId: referee })).credit).toBe(0);
    const entries = await db.select().from(creditLedger).where(and(eq(creditLedger.patientId, referee), eq(creditLedger.kind, "expiry")));
    expect(entries).toHaveLength(1);
    const [reward] = (await rewardsFor(referee)).filter((r) => r.side === "referee");
    expect(reward?.remindAt?.getTime()).toBe((reward?.expiresAt?.getTime() ?? 0) - 7 * 24 * 60 * 60 * 1000);
  });
});

describe("rule P12: reminders before expiry", () => {
  itConcurrently("queues one reminder per reward, however many daily runs overlap, and keeps it off the platform's log", async () => {
    await setProgram({ rewardExpiryDays: 30, expiryReminderDays: 7 });
    const { referee } = await pair();
    await pay(referee);
    const reminderDay = new Date(Date.now() + 24 * 24 * 60 * 60 * 1000);
    await Promise.all([runPatientProgramDaily(allClinics(), { now: reminderDay }), runPatientProgramDaily(allClinics(), { now: reminderDay })]);
    await runPatientProgramDaily(allClinics(), { now: reminderDay });
    const [patient] = await db.select().from(users).where(eq(users.id, referee));
    // One reward.expiring event, whose message the messages.events job writes; that job may run twice.
    const expiring = await db.select().from(domainEvents).where(and(eq(domainEvents.type, "reward.expiring"), sql`${domainEvents.data}->>'patientId' = ${referee}`));
    expect(expiring).toHaveLength(1);
    for (const event of [...expiring, ...expiring]) await composeForEvent({ db, actor: systemActor("messages.events"), clinicId: null }, { eventId: event.id });
    // The welcome message of sign-up (issue 8) is there too; reminders are what this counts.
    const sent = await db.select().from(outboxMessages).where(and(eq(outboxMessages.to, patient?.email ?? ""), eq(outboxMessages.kind, "reward.expiry_reminder")));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ kind: "reward.expiry_reminder", clinicId });
    expect(sent[0]?.body).toContain("/signin/maple-street");
    expect(sent[0]?.body).toMatch(/\$30 credit/);
    expect((await listMessages(db, { limit: 500 })).some((m) => m.to === patient?.email)).toBe(false);
    expect((await balances(asAdmin(), { patientId: referee })).credit).toBe(3000);
  });
});

describe("rule P13: a refund inside the hold window", () => {
  it("reverses only what was not redeemed and reports the rest", async () => {
    await setProgram({ holdDays: 30 });
    const { referee, referrer } = await pair();
    const qualifying = await pay(referee);
    // The referrer spends $20 of their $50 on a cheaper order.
    const spent = await payFor(referrer, cheapServiceId);
    expect(spent.creditAppliedCents).toBe(2000);
    const { reversal } = await refundOrder({ db, actor: staffActor(adminId, clinicId), clinicId }, { orderId: qualifying.id, reason: "patient asked" });
    expect(reversal?.find((r) => r.patientId === referrer)).toMatchObject({ reversed: 3000, alreadyRedeemed: 2000 });
    expect(reversal?.find((r) => r.patientId === referee)).toMatchObject({ reversed: 3000, alreadyRedeemed: 0 });
    expect(await balances(asAdmin(), { patientId: referrer })).toEqual({ credit: 0, points: 0 });
    expect((await balances(asAdmin(), { patientId: referee })).credit).toBe(0);
    const [reward] = (await rewardsFor(referrer)).filter((r) => r.side === "referrer");
    expect(reward?.statusReason).toMatch(/\$30\.00 reversed, \$20\.00 already redeemed/);
    // Refunding twice changes nothing more.
    await refundOrder({ db, actor: staffActor(adminId, clinicId), clinicId }, { orderId: qualifying.id, reason: "again" });
    expect((await balances(asAdmin(), { patientId: referrer })).credit).toBe(0);
  });

  it("the window is counted from qualification: a day inside it reverses, well outside it nothing is", async () => {
    await setProgram({ holdDays: 30 });
    const qualifiedDaysAgo = async (days: number) => {
      const { referee, referrer } = await pair();
      const qualifying = await pay(referee);
      await db.update(referrals).set({ qualifiedAt: new Date(Date.now() - days * DAY_MS) }).where(eq(referrals.refereeId, referee));
      const { reversal } = await refundOrder({ db, actor: staffActor(adminId, clinicId), clinicId }, { orderId: qualifying.id, reason: "patient asked" });
      return { reversal, referrer };
    };
    const inside = await qualifiedDaysAgo(29);
    expect(inside.reversal?.length).toBe(2);
    expect((await balances(asAdmin(), { patientId: inside.referrer })).credit).toBe(0);

    const outside = await qualifiedDaysAgo(45);
    expect(outside.reversal).toBeNull();
    expect((await balances(asAdmin(), { patientId: outside.referrer })).credit).toBe(5000);
  });
});

describe("rule P6: flagged referrals wait for a person", () => {
  itConcurrently("a disposable email is flagged, its rewards held; concurrent approvals pay once", async () => {
    const referrer = (await signUpPatient(db)).userId;
    const referee = (await signUpPatient(db, { code: await codeOf(db, referrer), email: `x${Date.now()}@mailinator.com` })).userId;
    const referral = await referralOf(referee);
    expect(referral?.reviewState).toBe("pending");
    expect(referral?.flags.map((f) => f.kind)).toContain("disposable_email");
    await pay(referee);
    expect((await balances(asAdmin(), { patientId: referrer })).credit).toBe(0);
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => approveReferral(asAdmin(), { referralId: referral?.id ?? "", reason: "called them" })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((await balances(asAdmin(), { patientId: referrer })).credit).toBe(5000);
    expect((await balances(asAdmin(), { patientId: referee })).credit).toBe(3000);
  });

  it("the same device as the referrer within 24 hours is flagged; a rejection withholds for good", async () => {
    const fingerprint = { ipHash: "ip-1", deviceHash: `device-${key()}` };
    const referrer = (await signUpPatient(db, { fingerprint })).userId;
    const referee = (await signUpPatient(db, { code: await codeOf(db, referrer), fingerprint })).userId;
    const referral = await referralOf(referee);
    expect(referral?.flags.map((f) => f.kind)).toEqual(expect.arrayContaining(["same_ip", "same_device"]));
    await pay(referee);
    await rejectReferral(asAdmin(), { referralId: referral?.id ?? "", reason: "same household account" });
    expect((await referralOf(referee))?.ineligibleReason).toBe("rejected");
    const decided = await db.select().from(rewards).where(eq(rewards.referralId, referral?.id ?? ""));
    expect(decided.map((r) => `${r.side}:${r.status}`).sort()).toEqual(["referee:withheld", "referrer:withheld"]);
    await expect(approveReferral(asAdmin(), { referralId: referral?.id ?? "", reason: "oops" })).rejects.toThrow(/no longer waiting/);
  });

  it("velocity above the clinic's threshold is flagged", async () => {
    await setProgram({ velocityLimitPerDay: 2 });
    const referrer = (await signUpPatient(db)).userId;
    const made = [];
    for (let i = 0; i < 3; i++) made.push((await signUpPatient(db, { code: await codeOf(db, referrer) })).userId);
    expect((await referralOf(made[2] ?? ""))?.flags.map((f) => f.kind)).toContain("velocity");
    expect((await referralOf(made[0] ?? ""))?.reviewState).toBe("none");
  });
});

describe("government-program guardrail", () => {
  it("a credit above the per-reward cap becomes points or is withheld, as the clinic chose", async () => {
    const { referee } = await pair();
    await db.update(users).set({ governmentPayer: true }).where(eq(users.id, referee));
    await pay(referee);
    const [withheld] = (await rewardsFor(referee)).filter((r) => r.side === "referee");
    expect(withheld).toMatchObject({ status: "withheld" });
    expect(withheld?.statusReason).toMatch(/\$15\.00 per-reward cap/);

    await setProgram({ governmentOverCapAction: "points" });
    const second = await pair();
    await db.update(users).set({ governmentPayer: true }).where(eq(users.id, second.referee));
    await pay(second.referee);
    expect(await balances(asAdmin(), { patientId: second.referee })).toEqual({ credit: 0, points: 30 });
  });
});

describe("rule C4: manual controls", () => {
  it("removing more credit than a patient has is refused and changes nothing", async () => {
    const { referee } = await pair();
    await pay(referee);
    await expect(adjustBalance(asAdmin(), { patientId: referee, unit: "credit", amount: -3001, reason: "test", idempotencyKey: key() })).rejects.toThrow(/below zero/);
    expect((await balances(asAdmin(), { patientId: referee })).credit).toBe(3000);
    await adjustBalance(asAdmin(), { patientId: referee, unit: "credit", amount: -1000, reason: "correction", idempotencyKey: key() });
    await adjustBalance(asAdmin(), { patientId: referee, unit: "points", amount: 50, reason: "goodwill", idempotencyKey: key() });
    expect(await balances(asAdmin(), { patientId: referee })).toEqual({ credit: 2000, points: 50 });
  });

  it("a rotated code stops attributing and the patient gets a new one", async () => {
    const patient = (await signUpPatient(db)).userId;
    const old = await codeOf(db, patient);
    const { code } = await rotateCode(asAdmin(), { patientId: patient, reason: "posted publicly" });
    expect(code).not.toBe(old);
    expect(await codeOf(db, patient)).toBe(code);
    await expect(signUpPatient(db, { code: old })).rejects.toThrow(/no longer active/);
  });
});

describe("rule C4: every staff action is in the audit log", () => {
  it("a recorded order, a booking and an attendance each write an entry in their own transaction", async () => {
    const { referee } = await pair();
    const { auditLog } = await import("@/db/schema");
    const order = await recordPaidOrder({ db, actor: staffActor(adminId, clinicId), clinicId }, { patientId: referee, items: [{ serviceId, quantity: 1 }], idempotencyKey: key() });
    const booked = await recordBooking({ db, actor: staffActor(adminId, clinicId), clinicId }, { patientId: referee, scheduledFor: new Date(), idempotencyKey: key() });
    await recordAttendance({ db, actor: staffActor(adminId, clinicId), clinicId }, { appointmentId: booked.id });
    const entries = await db.select().from(auditLog).where(eq(auditLog.actorId, adminId));
    expect(entries.filter((e) => e.targetId === order.id).map((e) => e.action)).toEqual(["order.record"]);
    expect(entries.filter((e) => e.targetId === booked.id).map((e) => e.action).sort()).toEqual(["appointment.attend", "appointment.book"]);
  });
});
