import { and, count, eq, max } from "drizzle-orm";
import type { Db } from "@/db/client";
import { referrals, termsAcceptances } from "@/db/schema";
import { patientActor } from "@/server/events/actor";
import { emit } from "@/server/events/emit";
import { DomainError } from "@/server/kernel/errors";
import { getProgram } from "@/server/services/programs/programs";

/** Rule P14: the newest terms version the patient accepted, or null. */
export async function acceptedTermsVersion(db: Db, patientId: string): Promise<number | null> {
  const [row] = await db.select({ v: max(termsAcceptances.termsVersion) }).from(termsAcceptances).where(eq(termsAcceptances.patientId, patientId));
  return row?.v ?? null;
}

/** Rule P14: records which version was accepted and when; accepting twice records it once. */
export async function acceptTerms(db: Db, input: { clinicId: string; patientId: string; termsVersion: number }) {
  const program = await getProgram({ db, clinicId: input.clinicId });
  if (input.termsVersion !== program.version.termsVersion) {
    throw new DomainError("CONFLICT", "The program terms changed while you were reading. Please read the new version and accept again.");
  }
  await db.transaction(async (tx) => {
    const [accepted] = await tx.insert(termsAcceptances).values(input).onConflictDoNothing().returning({ patientId: termsAcceptances.patientId });
    // The patient's own act; a repeated acceptance records (and emits) nothing.
    if (accepted) {
      await emit(tx, patientActor(input.patientId, input.clinicId), { type: "patient.terms_accepted", clinicId: input.clinicId, data: { patientId: input.patientId, termsVersion: input.termsVersion } });
    }
  });
  return { accepted: true };
}

/** Progress toward milestones (rule P15). */
export async function qualifiedCount(db: Db, referrerId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(referrals)
    .where(and(eq(referrals.referrerId, referrerId), eq(referrals.status, "qualified")));
  return row?.n ?? 0;
}
