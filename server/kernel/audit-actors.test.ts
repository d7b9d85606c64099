import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { auditLog } from "@/db/schema";
import { apiKeyActor, staffActor, systemActor, webhookActor } from "@/server/events/actor";
import { createTestDb } from "@/server/testing/db";
import { callerAs, clinicOf, DEMO_SLUG, firstService, key, SECOND_SLUG, signUpPatient, userByEmail } from "@/server/testing/fixtures";
import { auditBy } from "./audit";
import { recordPaidOrder } from "@/server/services/orders/orders";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let clinicId = "";
let adminId = "";
beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  clinicId = (await clinicOf(db, DEMO_SLUG)).id;
  adminId = (await userByEmail(db, "admin@demo.test")).id;
});
afterAll(() => handle.drop());

const list = (filter?: { actor?: string; action?: string }) => callerAs(db, adminId).audit.list({ filter });

describe("rule C4: the audit log records and shows every kind of actor", () => {
  it("an entry by a scheduled job and one by an inbound event are stored without a user and shown with their kind and name", async () => {
    await db.transaction(async (tx) => {
      await auditBy(tx, systemActor("runs.platform.daily", clinicId), { clinicId, action: "test.job", targetType: "clinic", targetId: clinicId });
      await auditBy(tx, webhookActor("stripe", "evt_1Abc", clinicId), { clinicId, action: "test.webhook", targetType: "clinic", targetId: clinicId });
      await auditBy(tx, apiKeyActor("key_42", clinicId), { clinicId, action: "test.api_key", targetType: "clinic", targetId: clinicId });
      await auditBy(tx, staffActor(adminId, clinicId), { clinicId, action: "test.person", targetType: "clinic", targetId: clinicId });
    });
    const stored = await db.select().from(auditLog).where(eq(auditLog.clinicId, clinicId));
    expect(stored.find((e) => e.action === "test.job")).toMatchObject({ actorKind: "system", actorId: null, actorLabel: "runs.platform.daily" });
    expect(stored.find((e) => e.action === "test.webhook")).toMatchObject({ actorKind: "webhook", actorId: null, actorLabel: "stripe:evt_1Abc" });

    const page = await list();
    const shown = (action: string) => page.rows.find((r) => r.action === action)?.actor;
    expect(shown("test.job")).toEqual({ kind: "system", name: "Scheduled job: runs.platform.daily", user: null });
    expect(shown("test.webhook")).toEqual({ kind: "webhook", name: "Stripe event evt_1Abc", user: null });
    expect(shown("test.api_key")).toEqual({ kind: "apiKey", name: "API key key_42", user: null });
    expect(shown("test.person")).toMatchObject({ kind: "staff", name: "Morgan Reyes", user: { id: adminId, email: "admin@demo.test" } });
  });

  it("the filter by staff member still narrows to that person's entries", async () => {
    const mine = await list({ actor: adminId });
    expect(mine.rows.length).toBeGreaterThan(0);
    expect(mine.rows.every((r) => r.actor.user?.id === adminId)).toBe(true);
    expect(mine.rows.map((r) => r.action)).not.toContain("test.job");
  });

  it("a paid order recorded from a payment event is audited as that event, in the order's transaction", async () => {
    const { userId: patientId } = await signUpPatient(db);
    const service = await firstService(db, clinicId);
    const order = await recordPaidOrder({ db, actor: webhookActor("stripe", "evt_order_1", clinicId), clinicId }, { patientId, items: [{ serviceId: service.id, quantity: 1 }], idempotencyKey: key() });
    const page = await list({ action: "order.record" });
    expect(page.rows.find((r) => r.targetId === order.id)?.actor).toEqual({ kind: "webhook", name: "Stripe event evt_order_1", user: null });
  });

  it("the second clinic's admin sees none of these entries", async () => {
    const other = (await userByEmail(db, "admin@second.test")).id;
    expect((await clinicOf(db, SECOND_SLUG)).id).not.toBe(clinicId);
    const theirs = await callerAs(db, other).audit.list({});
    expect(theirs.rows.map((r) => r.action)).not.toContain("test.job");
  });
});
