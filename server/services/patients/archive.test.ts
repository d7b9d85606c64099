import { and, eq } from "drizzle-orm";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { auditLog } from "@/db/schema";
import { createTestDb } from "@/server/testing/db";
import { authorizedAs, codeOf, firstService, guardAs, key, paymentEvent, signUpPatient, userByEmail, clinicOf, DEMO_SLUG } from "@/server/testing/fixtures";
import { recordPaidOrder } from "@/server/services/orders/orders";
import { openPatientArchive, type PatientArchive } from "./archive";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let staffId: string;
let referrerId: string;
let refereeId: string;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  staffId = (await userByEmail(db, "staff@demo.test")).id;
  referrerId = (await signUpPatient(db, { firstName: "Rhea" })).userId;
  refereeId = (await signUpPatient(db, { firstName: "Tomas", code: await codeOf(db, referrerId) })).userId;
  const clinicId = (await clinicOf(db, DEMO_SLUG)).id;
  await recordPaidOrder({ db, actor: paymentEvent(clinicId), clinicId }, { patientId: refereeId, items: [{ serviceId: (await firstService(db, clinicId)).id, quantity: 2 }], idempotencyKey: key() });
});
afterAll(() => handle.drop());

/** What the export routes hand the service: the context built from what the guard returned. */
async function asCaller(userId: string, audience: "staff" | "patient") {
  const caller = await authorizedAs(db, userId, audience);
  return { db, actor: caller.actor, clinicId: caller.clinicId };
}

function unpack(zip: Uint8Array) {
  const files = unzipSync(zip);
  return { names: Object.keys(files).sort(), json: JSON.parse(strFromU8(files["patient.json"] ?? new Uint8Array())) as PatientArchive, text: (name: string) => strFromU8(files[name] ?? new Uint8Array()) };
}

describe("rule N3: a patient's data, exported on request", () => {
  it("staff download one archive of the profile, referrals, ledger, orders, appointments and messages, as JSON and CSV; audited", async () => {
    const result = await openPatientArchive(await asCaller(staffId, "staff"), { patientId: refereeId });
    if (!result.ok) throw new Error(result.message);
    const archive = unpack(result.zip);
    expect(archive.names).toEqual(["appointments.csv", "ledger.csv", "messages.csv", "orders.csv", "patient.json", "profile.csv", "referrals.csv"]);
    expect(archive.json.profile).toMatchObject({ id: refereeId, firstName: "Tomas" });
    expect(archive.json.referrals).toEqual([expect.objectContaining({ role: "referred", referrer: "Rhea", referee: "Tomas" })]);
    expect(archive.json.orders[0]?.lines[0]).toMatchObject({ quantity: 2 });
    expect(archive.text("orders.csv")).toContain("2 x ");
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.action, "patient.export"), eq(auditLog.targetId, refereeId)));
    expect(entry).toMatchObject({ actorId: staffId, actorKind: "staff" });
  });

  it("other people appear by first name only, and no message body (with its private links) is included", async () => {
    const result = await openPatientArchive(await asCaller(referrerId, "patient"), { patientId: null });
    if (!result.ok) throw new Error(result.message);
    const all = strFromU8(unzipSync(result.zip)["patient.json"] ?? new Uint8Array());
    const referee = await db.query.users.findFirst({ where: (u, { eq: is }) => is(u.id, refereeId) });
    expect(all).toContain("Tomas");
    expect(all).not.toContain(referee?.email ?? "?");
    const [made] = (JSON.parse(all) as PatientArchive).referrals;
    expect(Object.keys(made ?? {}).sort()).toEqual(["createdAt", "id", "qualifiedAt", "referee", "referrer", "role", "status"]);
    expect(all).not.toMatch(/https?:\/\//);
  });

  it("refuses an anonymous caller and a patient at the guard, and finds no such patient for another clinic's staff (rule N1)", async () => {
    expect(await guardAs(db, null, "staff")).toMatchObject({ ok: false, status: 401 });
    expect(await guardAs(db, referrerId, "staff")).toMatchObject({ ok: false, status: 403 });
    const otherStaff = (await userByEmail(db, "admin@second.test")).id;
    expect(await openPatientArchive(await asCaller(otherStaff, "staff"), { patientId: refereeId })).toMatchObject({ ok: false, status: 404 });
  });
});
