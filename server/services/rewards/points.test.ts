import { and, eq } from "drizzle-orm";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { auditLog, creditLedger, domainEvents, pointConversions } from "@/db/schema";
import { createTestDb, itConcurrently } from "@/server/testing/db";
import { callerAs, clinicOf, DEMO_SLUG, key, signUpPatient, userByEmail } from "@/server/testing/fixtures";
import { patientActor } from "@/server/events/actor";
import { balances } from "./ledger";
import { convertPoints } from "./points";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let clinicId: string;
let adminId: string;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  clinicId = (await clinicOf(db, DEMO_SLUG)).id;
  adminId = (await userByEmail(db, "admin@demo.test")).id;
  // 100 points buy $5.00, from 300 points up.
  await callerAs(db, adminId).clinic.setPointConversion({ enabled: true, points: 100, creditCents: 500, minimumPoints: 300 });
});
afterAll(() => handle.drop());

async function patientWithPoints(points: number) {
  const patientId = (await signUpPatient(db)).userId;
  await callerAs(db, adminId).review.adjust({ patientId, unit: "points", amount: points, reason: "loyalty points for the test", idempotencyKey: key() });
  return patientId;
}

const codeOf = (error: unknown) => (error instanceof TRPCError ? error.code : String(error));
const asPatient = (patientId: string) => ({ db, actor: patientActor(patientId, clinicId), clinicId });

describe("rule P8: points convert to credit at the clinic's rate", () => {
  it("500 points become $25.00 credit in two ledger entries of one conversion", async () => {
    const patientId = await patientWithPoints(700);
    const result = await callerAs(db, patientId).portal.convertPoints({ points: 500, idempotencyKey: key() });
    expect(result).toEqual({ points: 500, creditCents: 2500, balance: { credit: 2500, points: 200 } });
    const entries = await db.select().from(creditLedger).where(and(eq(creditLedger.patientId, patientId), eq(creditLedger.memo, "Converted 500 points to $25 credit")));
    expect(entries.map((e) => [e.unit, e.amountCents]).sort()).toEqual([["credit", 2500], ["points", -500]]);
    const [event] = await db.select().from(domainEvents).where(and(eq(domainEvents.type, "points.converted"), eq(domainEvents.actorId, patientId)));
    expect(event?.data).toMatchObject({ patientId, points: 500, creditCents: 2500 });
    expect(event?.actorKind).toBe("patient");
  });

  it("below the minimum, off the block size or beyond the balance is refused with the reason, and nothing moves", async () => {
    const patientId = await patientWithPoints(400);
    const patient = callerAs(db, patientId);
    await expect(patient.portal.convertPoints({ points: 200, idempotencyKey: key() })).rejects.toThrow("Convert at least 300 points.");
    await expect(patient.portal.convertPoints({ points: 350, idempotencyKey: key() })).rejects.toThrow("Convert points in blocks of 100 (100 points = $5 credit).");
    await expect(patient.portal.convertPoints({ points: 500, idempotencyKey: key() })).rejects.toThrow("You have 400 points; enter that or less.");
    await expect(patient.portal.convertPoints({ points: -100, idempotencyKey: key() })).rejects.toThrow(/how many points/);
    expect(await balances(asPatient(patientId), { patientId })).toEqual({ credit: 0, points: 400 });
    expect(await db.select().from(pointConversions).where(eq(pointConversions.patientId, patientId))).toEqual([]);
  });

  it("a double-clicked conversion (the same key) converts once and answers the same; the key with another amount is refused", async () => {
    const patientId = await patientWithPoints(1000);
    const patient = callerAs(db, patientId);
    const idempotencyKey = key();
    const first = await patient.portal.convertPoints({ points: 300, idempotencyKey });
    expect(await patient.portal.convertPoints({ points: 300, idempotencyKey })).toEqual(first);
    expect(codeOf(await patient.portal.convertPoints({ points: 400, idempotencyKey }).catch((e: unknown) => e))).toBe("CONFLICT");
    expect(await balances(asPatient(patientId), { patientId })).toEqual({ credit: 1500, points: 700 });
  });

  itConcurrently("ten submissions of one conversion at once convert once (rule N2)", async () => {
    const patientId = await patientWithPoints(1000);
    const idempotencyKey = key();
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => convertPoints(asPatient(patientId), { patientId, points: 500, idempotencyKey })));
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    expect(await balances(asPatient(patientId), { patientId })).toEqual({ credit: 2500, points: 500 });
  });

  itConcurrently("two conversions at once with points for one: one converts, the other is refused, points never go below zero", async () => {
    const patientId = await patientWithPoints(600);
    const results = await Promise.allSettled([400, 400].map((points) => convertPoints(asPatient(patientId), { patientId, points, idempotencyKey: key() })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected");
    expect(refused?.status === "rejected" && String(refused.reason)).toMatch(/You have 200 points/);
    expect(await balances(asPatient(patientId), { patientId })).toEqual({ credit: 2000, points: 200 });
  });

  it("a clinic that has not turned conversion on refuses it, and shows the patient nothing to convert", async () => {
    const other = await signUpPatient(db, { clinicSlug: "harbor-physio" });
    const patient = callerAs(db, other.userId);
    expect(await patient.portal.pointConversion()).toBeNull();
    expect(codeOf(await patient.portal.convertPoints({ points: 300, idempotencyKey: key() }).catch((e: unknown) => e))).toBe("PRECONDITION_FAILED");
  });

  it("the admin's change of the rate is audited with before and after (rule C4); a minimum under one block is refused", async () => {
    const admin = callerAs(db, adminId);
    await expect(admin.clinic.setPointConversion({ enabled: true, points: 100, creditCents: 500, minimumPoints: 50 })).rejects.toThrow("The minimum is at least one block of points.");
    await admin.clinic.setPointConversion({ enabled: true, points: 100, creditCents: 600, minimumPoints: 300 });
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.action, "points.conversion.update"), eq(auditLog.clinicId, clinicId))).orderBy(auditLog.createdAt).limit(1).offset(1);
    expect(entry).toMatchObject({ actorId: adminId, actorKind: "staff", before: { creditCents: 500 }, after: { creditCents: 600 } });
    await admin.clinic.setPointConversion({ enabled: true, points: 100, creditCents: 500, minimumPoints: 300 });
  });
});
