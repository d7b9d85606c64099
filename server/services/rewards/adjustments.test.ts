import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { staffActor } from "@/server/events/actor";
import type { Db } from "@/db/client";
import { auditLog, balanceAdjustments, creditLedger, rewards } from "@/db/schema";
import { createTestDb, itConcurrently } from "@/server/testing/db";
import { callerAs, clinicOf, codeOf, DEMO_SLUG, firstService, key, signUpPatient, userByEmail, paymentEvent } from "@/server/testing/fixtures";
import { adjustBalance, reverseRewardByHand } from "@/server/services/referrals/controls";
import { balances, ledgerHistory } from "./ledger";
import { recordPaidOrder } from "@/server/services/orders/orders";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let clinicId: string;
let serviceId: string;
let adminId: string;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  clinicId = (await clinicOf(db, DEMO_SLUG)).id;
  serviceId = (await firstService(db, clinicId)).id;
  adminId = (await userByEmail(db, "admin@demo.test")).id;
});
afterAll(() => handle.drop());

const SECRET = "patient was rude at the front desk";
const asAdmin = () => ({ db, actor: staffActor(adminId, clinicId), clinicId });

describe("issue 7 item 4: a manual adjustment takes an idempotency key", () => {
  it("the same key sent twice credits once and answers the same", async () => {
    const patient = (await signUpPatient(db)).userId;
    const admin = callerAs(db, adminId);
    const input = { patientId: patient, unit: "credit" as const, amount: 1250, reason: "goodwill", idempotencyKey: key() };
    expect(await admin.review.adjust(input)).toEqual({ applied: 1250 });
    expect(await admin.review.adjust(input)).toEqual({ applied: 1250 });
    expect((await balances(asAdmin(), { patientId: patient })).credit).toBe(1250);
    expect(await db.select().from(balanceAdjustments).where(eq(balanceAdjustments.patientId, patient))).toHaveLength(1);
  });

  itConcurrently("a double-submitted form, ten times at once, credits once", async () => {
    const patient = (await signUpPatient(db)).userId;
    const idempotencyKey = key();
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => adjustBalance(asAdmin(), { patientId: patient, unit: "points", amount: 300, reason: "goodwill", idempotencyKey })),
    );
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    expect(await balances(asAdmin(), { patientId: patient })).toEqual({ credit: 0, points: 300 });
    const entries = await db.select().from(creditLedger).where(eq(creditLedger.patientId, patient));
    expect(entries).toHaveLength(1);
  });

  it("a removal refused for want of balance leaves the key free for a corrected try", async () => {
    const patient = (await signUpPatient(db)).userId;
    const idempotencyKey = key();
    await expect(adjustBalance(asAdmin(), { patientId: patient, unit: "credit", amount: -500, reason: "correction", idempotencyKey })).rejects.toThrow(/below zero/);
    await adjustBalance(asAdmin(), { patientId: patient, unit: "credit", amount: 500, reason: "correction", idempotencyKey });
    expect((await balances(asAdmin(), { patientId: patient })).credit).toBe(500);
  });

  it("the same key for a different adjustment is refused, not applied", async () => {
    const patient = (await signUpPatient(db)).userId;
    const idempotencyKey = key();
    await adjustBalance(asAdmin(), { patientId: patient, unit: "credit", amount: 500, reason: "goodwill", idempotencyKey });
    await expect(adjustBalance(asAdmin(), { patientId: patient, unit: "credit", amount: 900, reason: "goodwill", idempotencyKey })).rejects.toThrow(/already used/);
    expect((await balances(asAdmin(), { patientId: patient })).credit).toBe(500);
  });

  it("the procedure refuses an adjustment without a key", async () => {
    const patient = (await signUpPatient(db)).userId;
    await expect(callerAs(db, adminId).review.adjust({ patientId: patient, unit: "credit", amount: 500, reason: "goodwill" } as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await balances(asAdmin(), { patientId: patient })).credit).toBe(0);
  });
});

describe("issue 7 item 16: staff reasons stay internal; the patient's history shows a neutral memo", () => {
  it("an adjustment's reason is in the audit log and the adjustments table, not in the patient's ledger", async () => {
    const patient = (await signUpPatient(db)).userId;
    await adjustBalance(asAdmin(), { patientId: patient, unit: "credit", amount: 700, reason: SECRET, idempotencyKey: key() });
    await adjustBalance(asAdmin(), { patientId: patient, unit: "credit", amount: -200, reason: SECRET, idempotencyKey: key() });
    const history = await ledgerHistory(asAdmin(), { patientId: patient });
    expect(JSON.stringify(history)).not.toContain(SECRET);
    expect((await ledgerHistory(asAdmin(), { patientId: patient })).map((e) => e.memo)).toEqual(["Adjustment by the clinic", "Adjustment by the clinic"]);
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.targetId, patient), eq(auditLog.action, "credit.adjust")));
    expect(audit.map((a) => a.reason)).toEqual([SECRET, SECRET]);
    expect((await db.select().from(balanceAdjustments).where(eq(balanceAdjustments.patientId, patient))).map((a) => a.reason)).toEqual([SECRET, SECRET]);
  });

  it("a reversal by hand shows the patient a neutral memo; the reason stays on the reward for staff", async () => {
    const referrer = (await signUpPatient(db)).userId;
    const referee = (await signUpPatient(db, { code: await codeOf(db, referrer) })).userId;
    await recordPaidOrder({ db, actor: paymentEvent(clinicId), clinicId }, { patientId: referee, items: [{ serviceId, quantity: 1 }], idempotencyKey: key() });
    const [reward] = await db.select().from(rewards).where(and(eq(rewards.patientId, referrer), eq(rewards.side, "referrer")));
    await reverseRewardByHand(asAdmin(), { rewardId: reward?.id ?? "", reason: SECRET });
    const history = await ledgerHistory(asAdmin(), { patientId: referrer });
    expect(JSON.stringify(history)).not.toContain(SECRET);
    expect((await ledgerHistory(asAdmin(), { patientId: referrer }))[0]?.memo).toBe("Reward reversed by the clinic");
    const [after] = await db.select().from(rewards).where(eq(rewards.id, reward?.id ?? ""));
    expect(after?.statusReason).toContain(SECRET);
  });
});
