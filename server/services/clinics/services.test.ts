import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { auditLog, orderItems } from "@/db/schema";
import { createTestDb } from "@/server/testing/db";
import { callerAs, clinicOf, DEMO_SLUG, key, paymentEvent, signUpPatient, userByEmail } from "@/server/testing/fixtures";
import { staffActor } from "@/server/events/actor";
import { clinicCatalog, recordPaidOrder } from "@/server/services/orders/orders";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let clinicId: string;
let adminId: string;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  clinicId = (await clinicOf(db, DEMO_SLUG)).id;
  adminId = (await userByEmail(db, "admin@demo.test")).id;
});
afterAll(() => handle.drop());

describe("a clinic's services and prices", () => {
  it("an order keeps the name and price it was sold at when the service is renamed and repriced", async () => {
    const admin = callerAs(db, adminId);
    const service = await admin.clinic.createService({ name: "Night guard", description: "Custom fitted", priceCents: 30_000 });
    const patient = (await signUpPatient(db)).userId;
    const order = await recordPaidOrder({ db, actor: paymentEvent(clinicId), clinicId }, { patientId: patient, items: [{ serviceId: service.id, quantity: 1 }], idempotencyKey: key() });
    await admin.clinic.updateService({ serviceId: service.id, name: "Night guard (premium)", description: "", priceCents: 35_000 });
    const [line] = await db.select().from(orderItems).where(eq(orderItems.orderId, order.id));
    expect(line).toMatchObject({ name: "Night guard", unitPriceCents: 30_000 });
    expect((await clinicCatalog({ db, actor: staffActor(adminId, clinicId), clinicId })).find((s) => s.id === service.id)).toMatchObject({ name: "Night guard (premium)", priceCents: 35_000 });
    const audit = await db.select({ action: auditLog.action, before: auditLog.before, after: auditLog.after }).from(auditLog).where(and(eq(auditLog.targetId, service.id)));
    expect(audit.map((a) => a.action).sort()).toEqual(["service.create", "service.update"]);
    expect(audit.find((a) => a.action === "service.update")).toMatchObject({ before: { priceCents: 30_000 }, after: { priceCents: 35_000 } });
  });

  it("an archived service leaves the shop and cannot be ordered; restored, it can", async () => {
    const admin = callerAs(db, adminId);
    const service = await admin.clinic.createService({ name: "Retainer check", priceCents: 4_500 });
    await admin.clinic.setServiceActive({ serviceId: service.id, active: false });
    expect((await clinicCatalog({ db, actor: staffActor(adminId, clinicId), clinicId })).some((s) => s.id === service.id)).toBe(false);
    expect((await admin.clinic.services()).find((s) => s.id === service.id)?.active).toBe(false);
    const patient = (await signUpPatient(db)).userId;
    await expect(recordPaidOrder({ db, actor: paymentEvent(clinicId), clinicId }, { patientId: patient, items: [{ serviceId: service.id, quantity: 1 }], idempotencyKey: key() })).rejects.toThrow();
    await admin.clinic.setServiceActive({ serviceId: service.id, active: true });
    expect((await clinicCatalog({ db, actor: staffActor(adminId, clinicId), clinicId })).some((s) => s.id === service.id)).toBe(true);
  });

  it("bad input is refused with the field's message and creates nothing", async () => {
    const admin = callerAs(db, adminId);
    const before = (await admin.clinic.services()).length;
    await expect(admin.clinic.createService({ name: "  ", priceCents: 100 })).rejects.toThrow("Name the service.");
    await expect(admin.clinic.createService({ name: "Free thing", priceCents: 0 })).rejects.toThrow("Price cannot be less than $0.01.");
    await expect(admin.clinic.createService({ name: "Bad\u0000name", priceCents: 100 })).rejects.toThrow(/control characters/);
    await expect(admin.clinic.createService({ name: "x".repeat(5_000_000), priceCents: 100 })).rejects.toThrow("Keep the name under 120 characters.");
    expect((await admin.clinic.services()).length).toBe(before);
  });
});
