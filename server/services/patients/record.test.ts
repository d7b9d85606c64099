import { and, eq } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import { staffActor } from "@/server/events/actor";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { auditLog } from "@/db/schema";
import { createTestDb } from "@/server/testing/db";
import { callerAs, clinicOf, codeOf, DEMO_SLUG, firstService, key, SECOND_SLUG, signUpPatient, userByEmail, paymentEvent } from "@/server/testing/fixtures";
import { recordPaidOrder } from "@/server/services/orders/orders";
import { patientRecord } from "./record";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
const ids = { demo: "", second: "", alex: "", staff: "", quinn: "" };

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  ids.demo = (await clinicOf(db, DEMO_SLUG)).id;
  ids.second = (await clinicOf(db, SECOND_SLUG)).id;
  ids.alex = (await userByEmail(db, "patient@demo.test")).id;
  ids.staff = (await userByEmail(db, "staff@demo.test")).id;
  const quinn = await signUpPatient(db, { code: await codeOf(db, ids.alex), firstName: "Quinn" });
  ids.quinn = quinn.userId;
  const service = await firstService(db, ids.demo);
  await recordPaidOrder({ db, actor: paymentEvent(ids.demo), clinicId: ids.demo }, { patientId: quinn.userId, items: [{ serviceId: service.id, quantity: 1 }], idempotencyKey: key() });
});
afterAll(() => handle.drop());

const views = (targetId: string) =>
  db.select().from(auditLog).where(and(eq(auditLog.action, "patient.view"), eq(auditLog.targetId, targetId)));

describe("rule N3: a patient's record in the console", () => {
  it("shows summary, code, balance, referrals both ways and ledger, and audits the view", async () => {
    const record = await callerAs(db, ids.staff).patients.record({ patientId: ids.alex });
    expect(record.patient).toMatchObject({ firstName: "Alex", lastName: "Patel", email: "patient@demo.test" });
    expect(record.code).toBe(await codeOf(db, ids.alex));
    expect(record.balanceCents).toBe(5000);
    expect(record.referralsMade).toHaveLength(1);
    expect(record.referralsMade[0]).toMatchObject({ status: "qualified", referee: { id: ids.quinn, name: "Quinn F." } });
    expect(record.referredBy).toBeNull();
    expect(record.ledger.map((l) => l.amountCents)).toEqual([5000]);
    const quinn = await callerAs(db, ids.staff).patients.record({ patientId: ids.quinn });
    expect(quinn.referredBy).toMatchObject({ referrer: { id: ids.alex, name: "Alex P." } });

    const [entry] = await views(ids.alex);
    expect(entry).toMatchObject({ clinicId: ids.demo, actorKind: "staff", actorId: ids.staff, targetType: "patient" });
  });

  it("writes the audit entry in the read's transaction: no view stands without it, no entry without the view", async () => {
    const before = (await views(ids.alex)).length;
    // The read rolled back takes its audit entry with it.
    await expect(
      db.transaction(async (tx) => {
        await patientRecord({ db: tx, actor: staffActor(ids.staff, ids.demo), clinicId: ids.demo }, { patientId: ids.alex });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await views(ids.alex)).toHaveLength(before);
    // An audit entry that cannot be written means no record is returned.
    await expect(patientRecord({ db, actor: staffActor(randomUUID(), ids.demo), clinicId: ids.demo }, { patientId: ids.alex })).rejects.toThrow();
    expect(await views(ids.alex)).toHaveLength(before);
  });

  it("rule N1: another clinic's staff get not found, and nothing is audited", async () => {
    const otherAdmin = (await userByEmail(db, "admin@second.test")).id;
    const before = (await views(ids.alex)).length;
    await expect(callerAs(db, otherAdmin).patients.record({ patientId: ids.alex })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(callerAs(db, ids.staff).patients.record({ patientId: ids.staff })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await views(ids.alex)).toHaveLength(before);
  });
});
