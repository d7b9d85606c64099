import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, creditReservations } from "@/db/schema";
import { apiKeyActor, staffActor, systemActor } from "@/server/events/actor";
import { startWorkers, type Workers } from "@/server/jobs/worker";
import { createApiKey } from "@/server/services/integrations/api-keys";
import { createApiPatient } from "@/server/services/patients/api";
import { adjustBalance } from "@/server/services/referrals/controls";
import { EXPIRE_QUEUE, expireReservation, redeemCredit, RESERVATION_TTL_MS } from "./credit-checkout";
import { creditBalance } from "@/server/services/rewards/ledger";
import { TestPaymentProvider } from "./payment-provider";
import { createTestDb } from "@/server/testing/db";
import { clinicOf, DEMO_SLUG, userByEmail } from "@/server/testing/fixtures";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let workers: Workers;
let clinicId: string;
let adminId: string;
let keyId: string;

beforeAll(async () => {
  handle = await createTestDb();
  clinicId = (await clinicOf(handle.db, DEMO_SLUG)).id;
  adminId = (await userByEmail(handle.db, "admin@demo.test")).id;
  keyId = (await createApiKey({ db: handle.db, actor: staffActor(adminId, clinicId), clinicId }, { name: "POS", scope: "write" })).apiKey.id;
  workers = await startWorkers(handle, {
    payments: new TestPaymentProvider(handle.db),
    timing: { maintenanceIntervalSeconds: 1, pollingIntervalSeconds: 0.5 },
    queues: ["credit.reservation-expire"],
  });
});

afterAll(async () => {
  await workers?.stop();
  await handle?.drop();
});

const asAdmin = () => ({ db: handle.db, actor: staffActor(adminId, clinicId), clinicId });

async function patientWithCredit(cents: number) {
  const actor = apiKeyActor(keyId, clinicId);
  const patient = await createApiPatient({ db: handle.db, actor, clinicId }, { firstName: "Ro", lastName: "Vale", email: `ro-${randomUUID()}@example.com` });
  await adjustBalance(asAdmin(), { patientId: patient.id, unit: "credit", amount: cents, reason: "test credit", idempotencyKey: randomUUID() });
  return patient.id;
}

/** Waits for the worker, by polling the database a bounded number of times (no timing assertion). */
async function statusOnceSettled(reservationId: string) {
  for (let attempt = 0; attempt < 120; attempt++) {
    const [row] = await handle.db.select().from(creditReservations).where(eq(creditReservations.id, reservationId));
    if (row?.status !== "reserved") return row?.status;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return "reserved";
}

describe("rule A7: the reservation's expiry job", () => {
  it("A7: the queued job gives an unreleased reservation's credit back once it is due, audited as the job", async () => {
    const patientId = await patientWithCredit(2000);
    // Reserved 31 minutes ago: its job is due now.
    const held = await redeemCredit({ db: handle.db, actor: apiKeyActor(keyId, clinicId), clinicId }, { patientId, externalRef: `POS-${randomUUID()}`, orderTotalCents: 2000, now: new Date(Date.now() - RESERVATION_TTL_MS - 60_000) });
    expect(held.amountCents).toBe(2000);
    expect(await creditBalance(asAdmin(), { patientId })).toBe(0);
    expect(await statusOnceSettled(held.id)).toBe("expired");
    expect(await creditBalance(asAdmin(), { patientId })).toBe(2000);
    const entries = await handle.db.select().from(auditLog).where(eq(auditLog.targetId, held.id));
    expect(entries.map((e) => [e.action, e.actorKind, e.actorLabel]).sort()).toEqual([
      ["credit.expire_hold", "system", "credit.reservation-expire"],
      ["credit.reserve", "apiKey", keyId],
    ]);
  });

  it("A7: the job run again, or before the time, changes nothing (never negative, never twice)", async () => {
    const patientId = await patientWithCredit(700);
    const now = new Date();
    const held = await redeemCredit({ db: handle.db, actor: apiKeyActor(keyId, clinicId), clinicId }, { patientId, externalRef: `POS-${randomUUID()}`, orderTotalCents: 5000, now });
    expect(held.amountCents).toBe(700);
    expect(await expireReservation({ db: handle.db, actor: systemActor(EXPIRE_QUEUE, clinicId), clinicId }, { reservationId: held.id, now: new Date(now.getTime() + RESERVATION_TTL_MS - 1000) })).toBeNull();
    expect(await creditBalance(asAdmin(), { patientId })).toBe(0);
    const later = new Date(now.getTime() + RESERVATION_TTL_MS + 1000);
    expect((await expireReservation({ db: handle.db, actor: systemActor(EXPIRE_QUEUE, clinicId), clinicId }, { reservationId: held.id, now: later }))?.status).toBe("expired");
    expect(await expireReservation({ db: handle.db, actor: systemActor(EXPIRE_QUEUE, clinicId), clinicId }, { reservationId: held.id, now: later })).toBeNull();
    expect(await creditBalance(asAdmin(), { patientId })).toBe(700);
  });

  it("N1: another clinic's id is unknown to the expiry", async () => {
    const patientId = await patientWithCredit(100);
    const held = await redeemCredit({ db: handle.db, actor: apiKeyActor(keyId, clinicId), clinicId }, { patientId, externalRef: `POS-${randomUUID()}`, orderTotalCents: 100 });
    const other = (await clinicOf(handle.db, "harbor-physio")).id;
    await expect(expireReservation({ db: handle.db, actor: systemActor(EXPIRE_QUEUE, other), clinicId: other }, { reservationId: held.id, now: new Date(Date.now() + 2 * RESERVATION_TTL_MS) })).rejects.toThrow("No such credit reservation");
    expect(await creditBalance(asAdmin(), { patientId })).toBe(0);
  });
});
