import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { auditLog } from "@/db/schema";
import { createTestDb } from "@/server/testing/db";
import { callerAs, clinicOf, codeOf, DEMO_SLUG, signUpPatient, userByEmail } from "@/server/testing/fixtures";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let staffId = "";
let clinicId = "";
beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  staffId = (await userByEmail(db, "staff@demo.test")).id;
  clinicId = (await clinicOf(db, DEMO_SLUG)).id;
});
afterAll(() => handle.drop());

/** The audit entries the staff member's calls wrote, oldest first. */
async function auditedBy(run: () => Promise<unknown>) {
  const mine = () => db.select().from(auditLog).where(eq(auditLog.actorId, staffId)).orderBy(asc(auditLog.createdAt), asc(auditLog.id));
  const before = new Set((await mine()).map((e) => e.id));
  await run();
  return (await mine()).filter((e) => !before.has(e.id));
}

describe("item 14 of issue 7: staff access to patient data is audited (rule N3)", () => {
  it("listing and searching patients records what was shown, never the term typed", async () => {
    const { userId } = await signUpPatient(db, { firstName: "Ottoline", email: "ottoline.private@example.com" });
    const console = callerAs(db, staffId).clinic;
    const entries = await auditedBy(async () => {
      await console.patients({ search: "" });
      await console.patients({ search: "Ottoline" });
      await console.patients({ search: "ottoline.private@example.com" });
    });
    expect(entries.map((e) => [e.action, e.clinicId, e.targetType])).toEqual([
      ["patient.list", clinicId, "patient"],
      ["patient.search", clinicId, "patient"],
      ["patient.search", clinicId, "patient"],
    ]);
    expect(entries.map((e) => (e.after as { search: string }).search)).toEqual(["none", "name", "email"]);
    expect(entries[1]?.after).toMatchObject({ results: 1, patientIds: [userId] });
    expect(JSON.stringify(entries)).not.toMatch(/ottoline/i);
  });

  it("opening the review queue records whose referrals were shown", async () => {
    const referrer = await userByEmail(db, "patient@demo.test");
    const fingerprint = { ipHash: "same-network", deviceHash: null };
    await callerAs(db, referrer.id, {}, fingerprint).portal.overview();
    const { userId } = await signUpPatient(db, { code: await codeOf(db, referrer.id), fingerprint });
    const entries = await auditedBy(() => callerAs(db, staffId).review.queue());
    expect(entries.map((e) => e.action)).toEqual(["review_queue.view"]);
    const after = entries[0]?.after as { results: number; patientIds: string[] };
    expect(after.results).toBeGreaterThan(0);
    expect(after.patientIds).toEqual(expect.arrayContaining([referrer.id, userId]));
  });

  it("the activity log filtered to a patient, or searched, is recorded; the unfiltered clinic timeline is not", async () => {
    const patient = await userByEmail(db, "patient2@demo.test");
    const activity = callerAs(db, staffId).activity;
    const entries = await auditedBy(async () => {
      await activity.list({});
      await activity.list({ patientId: patient.id });
      await activity.list({ search: "Jordan" });
    });
    expect(entries.map((e) => [e.action, e.targetId])).toEqual([
      ["activity.patient", patient.id],
      ["activity.search", null],
    ]);
    expect(entries[1]?.after).toMatchObject({ search: "name" });
    expect(JSON.stringify(entries)).not.toContain("Jordan");
  });
});
