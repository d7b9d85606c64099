import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { domainEvents, referralCodes, referrals, users } from "@/db/schema";
import { staffActor } from "@/server/events/actor";
import { createTestDb } from "@/server/testing/db";
import { clinicOf, codeOf, DEMO_SLUG, key, signUpPatient, userByEmail } from "@/server/testing/fixtures";
import { createPatient, createPatients } from "./create";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let clinicId: string;
let staffId: string;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  clinicId = (await clinicOf(db, DEMO_SLUG)).id;
  staffId = (await userByEmail(db, "staff@demo.test")).id;
});
afterAll(() => handle.drop());

const person = () => ({ firstName: "Ada", lastName: "Quill", email: `create-${key()}@example.com` });
const ctx = () => ({ db, actor: staffActor(staffId, clinicId), clinicId });

describe("createPatient: the one way a patient comes to exist (issue 21)", () => {
  it("rule P2: the account, its code and its event are written together", async () => {
    const created = await createPatient(ctx(), { source: "staff", patient: person() });
    const patientId = created?.patient.id ?? "";
    expect(await codeOf(db, patientId)).toMatch(/^[A-Z0-9]{10}$/);
    const events = await db.select().from(domainEvents).where(eq(domainEvents.type, "patient.created"));
    expect(events.filter((e) => e.data.patientId === patientId).map((e) => ({ ...e.data, actorId: e.actorId }))).toEqual([{ patientId, source: "staff", actorId: staffId }]);
  });

  it("joins the caller's transaction: when the caller fails after it, no account, code or event is left", async () => {
    const details = person();
    let madeId = "";
    await expect(
      db.transaction(async (tx) => {
        const made = await createPatient({ ...ctx(), db: tx }, { source: "staff", patient: details });
        madeId = made?.patient.id ?? "";
        throw new Error("the caller's next step failed");
      }),
    ).rejects.toThrow("the caller's next step failed");
    expect(madeId).not.toBe("");
    expect(await db.select().from(users).where(eq(users.email, details.email))).toEqual([]);
    expect(await db.select().from(referralCodes).where(eq(referralCodes.patientId, madeId))).toEqual([]);
    expect((await db.select().from(domainEvents).where(eq(domainEvents.type, "patient.created"))).filter((e) => e.data.patientId === madeId)).toEqual([]);
  });

  it("an address the clinic already has makes nothing, and answers null; refuseDuplicates hands the clash to the caller", async () => {
    const details = person();
    await createPatient(ctx(), { source: "staff", patient: details });
    expect(await createPatient(ctx(), { source: "staff", patient: { ...details, email: details.email.toUpperCase() } })).toBeNull();
    await expect(createPatient(ctx(), { source: "api", patient: details, refuseDuplicates: true })).rejects.toThrow();
    expect(await db.select().from(users).where(eq(users.email, details.email))).toHaveLength(1);
  });

  it("rules P5, P6: the arrival is attributed by the same rules at every door, a self-referral included", async () => {
    const friend = await signUpPatient(db, { phone: "555-300-1122" });
    const code = await codeOf(db, friend.userId);
    const arrival = (typedCode: string) => ({ clinicName: "Maple", typedCode, cookie: null, fingerprint: { ipHash: null, deviceHash: null }, now: new Date() });
    const newcomer = await createPatient(ctx(), { source: "staff", patient: person(), arrival: arrival(code) });
    const [referral] = await db.select().from(referrals).where(eq(referrals.refereeId, newcomer?.patient.id ?? ""));
    expect(referral?.referrerId).toBe(friend.userId);
    const twin = await createPatient(ctx(), { source: "staff", patient: { ...person(), phone: "555-300-1122" }, arrival: arrival(code) });
    const [self] = await db.select().from(referrals).where(eq(referrals.refereeId, twin?.patient.id ?? ""));
    expect(self?.ineligibleReason).toBe("self_referral");
  });

  it("many at once (an import): one code each, and the twin rows of the batch make one account", async () => {
    const a = person();
    const created = await createPatients(ctx(), { source: "import", patients: [a, person(), { ...a, firstName: "Twin" }] });
    expect(created).toHaveLength(2);
    const codes = await db.select().from(referralCodes).where(inArray(referralCodes.patientId, created.map((p) => p.id)));
    expect(new Set(codes.map((c) => c.patientId)).size).toBe(2);
  });
});
