import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { staffActor } from "@/server/events/actor";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { termsAcceptances } from "@/db/schema";
import { createTestDb } from "@/server/testing/db";
import { callerAs, clinicOf, codeOf, DEMO_SLUG, signUpPatient, userByEmail } from "@/server/testing/fixtures";
import { getProgram, settingsOf, updateProgram } from "@/server/services/programs/programs";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
});
afterAll(() => handle.drop());

describe("rule P14: the link is the patient's to share once they accept the current terms", () => {
  it("overview answers with no code before acceptance, and with the code after", async () => {
    const { userId: patientId } = await signUpPatient(db);
    const portal = callerAs(db, patientId).portal;
    const before = await portal.overview();
    expect(before.termsAccepted).toBe(false);
    expect(before.code).toBeNull();
    // The code exists from sign-up (rule P2); only its answer is held back.
    const code = await codeOf(db, patientId);
    expect(JSON.stringify(before)).not.toContain(code);

    const startedAt = new Date();
    expect(await portal.acceptTerms({ termsVersion: before.termsVersion })).toEqual({ accepted: true });
    const after = await portal.overview();
    expect(after).toMatchObject({ termsAccepted: true, code });

    const rows = await db.select().from(termsAcceptances).where(eq(termsAcceptances.patientId, patientId));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.termsVersion).toBe(before.termsVersion);
    expect(rows[0]?.acceptedAt.getTime()).toBeGreaterThanOrEqual(startedAt.getTime() - 1_000);
    expect(rows[0]?.acceptedAt.getTime()).toBeLessThanOrEqual(Date.now() + 1_000);
  });

  it("refuses a stale version, records nothing, and new terms hide the code until accepted again", async () => {
    const { userId: patientId } = await signUpPatient(db);
    const portal = callerAs(db, patientId).portal;
    const { termsVersion } = await portal.overview();
    await portal.acceptTerms({ termsVersion });

    const clinic = await clinicOf(db, DEMO_SLUG);
    const admin = await userByEmail(db, "admin@demo.test");
    const current = settingsOf(await getProgram({ db, clinicId: clinic.id }));
    await updateProgram({ db, actor: staffActor(admin.id, clinic.id), clinicId: clinic.id }, { settings: { ...current, termsText: `${current.termsText}\n\nA new clause.` } });

    const changed = await portal.overview();
    expect(changed).toMatchObject({ termsVersion: termsVersion + 1, termsAccepted: false, code: null });
    const error = await portal.acceptTerms({ termsVersion }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("CONFLICT");
    expect(await portal.overview()).toMatchObject({ termsAccepted: false, code: null });
    expect((await db.select().from(termsAcceptances).where(eq(termsAcceptances.patientId, patientId))).map((r) => r.termsVersion)).toEqual([termsVersion]);

    await portal.acceptTerms({ termsVersion: termsVersion + 1 });
    expect((await portal.overview()).code).toBe(await codeOf(db, patientId));
  });
});
