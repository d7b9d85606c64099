import { and, count, eq, max } from "drizzle-orm";
import { referrals, termsAcceptances } from "@/db/schema";
import { patientActor } from "@/server/events/actor";
import { emit } from "@/server/events/emit";
import { withTransaction, type ServiceContext } from "@/server/kernel/context";
import { DomainError } from "@/server/kernel/errors";
import { getProgram } from "@/server/services/programs/programs";

/**
 * Rule P14: the newest terms version the patient accepted, or null. A read by the patient alone,
 * needing no actor: message composition and the REST link lookup call it where none is at hand.
 */
export async function acceptedTermsVersion(ctx: Pick<ServiceContext, "db">, input: { patientId: string }): Promise<number | null> {
  const [row] = await ctx.db.select({ v: max(termsAcceptances.termsVersion) }).from(termsAcceptances).where(eq(termsAcceptances.patientId, input.patientId));
  return row?.v ?? null;
}

/** Rule P14: records which version was accepted and when; accepting twice records it once. */
export async function acceptTerms(ctx: ServiceContext, input: { patientId: string; termsVersion: number }) {
  const { clinicId } = ctx;
  const program = await getProgram(ctx);
  if (input.termsVersion !== program.version.termsVersion) {
    throw new DomainError("conflict", "The program terms changed while you were reading. Please read the new version and accept again.");
  }
  await withTransaction(ctx, async ({ db: tx }) => {
    const [accepted] = await tx.insert(termsAcceptances).values({ ...input, clinicId }).onConflictDoNothing().returning({ patientId: termsAcceptances.patientId });
    // The patient's own act; a repeated acceptance records (and emits) nothing.
    if (accepted) {
      await emit(tx, patientActor(input.patientId, clinicId), { type: "patient.terms_accepted", clinicId, data: { patientId: input.patientId, termsVersion: input.termsVersion } });
    }
  });
  return { accepted: true };
}

/** Progress toward milestones (rule P15). */
export async function qualifiedCount(ctx: ServiceContext, input: { referrerId: string }): Promise<number> {
  const [row] = await ctx.db
    .select({ n: count() })
    .from(referrals)
    .where(and(eq(referrals.referrerId, input.referrerId), eq(referrals.status, "qualified")));
  return row?.n ?? 0;
}
