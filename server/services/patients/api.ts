import { and, asc, eq, gt, or, sql, type SQL } from "drizzle-orm";
import { referrals, users } from "@/db/schema";
import { appUrl } from "@/server/kernel/app-url";
import { auditBy } from "@/server/kernel/audit";
import { withTransaction, type ServiceContext } from "@/server/kernel/context";
import { activeCode } from "@/server/services/referrals/codes";
import { createPatient } from "./create";
import { DomainError, isUniqueViolation } from "@/server/kernel/errors";
import { normalizeEmail, normalizePhone } from "@/server/kernel/contact";
import { encodeCursor, decodeCursor, positionAt } from "@/server/kernel/keyset";
import { getProgram } from "@/server/services/programs/programs";
import { acceptedTermsVersion } from "@/server/services/referrals/terms";

/** What the API shows of a patient: the least a connected system needs (rule N3). */
const patientColumns = {
  id: users.id,
  firstName: users.firstName,
  lastName: users.lastName,
  email: users.email,
  externalId: users.externalId,
  createdAt: users.createdAt,
};

/**
 * A patient created by the clinic's system, with no password (they may sign up later). Rule P2:
 * the code is issued in the same transaction. An email or external id the clinic already has is
 * refused by the database's unique indexes, naming the field.
 */
export async function createApiPatient(
  ctx: ServiceContext,
  input: { firstName: string; lastName: string; email: string; phone?: string | null; externalId?: string | null },
) {
  try {
    return await withTransaction(ctx, async (tx) => {
      const created = await createPatient(tx, { source: "api", patient: input, refuseDuplicates: true });
      if (!created) throw new Error("the patient was not stored");
      const { patient } = created;
      await auditBy(tx.db, tx.actor, { clinicId: tx.clinicId, action: "patient.create", targetType: "patient", targetId: patient.id });
      return { id: patient.id, firstName: patient.firstName, lastName: patient.lastName, email: patient.email, externalId: patient.externalId, createdAt: patient.createdAt };
    });
  } catch (error) {
    if (isUniqueViolation(error, "users_clinic_email_unique")) throw new DomainError("conflict", "This clinic already has a patient with this email.", "email");
    if (isUniqueViolation(error, "users_clinic_external_id_unique")) throw new DomainError("conflict", "This clinic already has a patient with this external id.", "externalId");
    throw error;
  }
}

export async function apiPatient(ctx: ServiceContext, input: { patientId: string }) {
  const [row] = await ctx.db.select(patientColumns).from(users).where(ofClinic(ctx.clinicId, eq(users.id, input.patientId)));
  if (!row) throw new DomainError("not_found", "No such patient at this clinic.");
  return row;
}

/** Exact matches by email, phone or the clinic's external id (in a body, never a URL: rule N3). */
export async function searchPatients(ctx: ServiceContext, input: { email?: string; phone?: string; externalId?: string }) {
  const phone = normalizePhone(input.phone);
  const matches = [
    input.email ? eq(users.emailNormalized, normalizeEmail(input.email)) : undefined,
    phone ? eq(users.phoneNormalized, phone) : undefined,
    input.externalId ? eq(users.externalId, input.externalId) : undefined,
  ].filter((m): m is SQL => !!m);
  if (!matches.length) throw new DomainError("invalid", "Give an email, a phone number or an external id to search by.", "email");
  return ctx.db
    .select(patientColumns)
    .from(users)
    .where(ofClinic(ctx.clinicId, or(...matches)))
    .orderBy(asc(users.createdAt))
    .limit(20);
}

/** Rule P2, P14: the patient's code and link, only once they accepted the current program terms. */
export async function patientReferralLink(ctx: ServiceContext, input: { patientId: string }) {
  await apiPatient(ctx, input);
  const [program, accepted, code] = await Promise.all([getProgram(ctx), acceptedTermsVersion(ctx, { patientId: input.patientId }), activeCode(ctx, { patientId: input.patientId })]);
  if (accepted !== program.version.termsVersion) {
    throw new DomainError("precondition", "The patient has not accepted the current program terms yet; their link is shown once they have (in the portal).");
  }
  if (!code) throw new Error("a patient without a code");
  return { code: code.code, url: appUrl(`/r/${code.code}`), termsVersion: accepted };
}

/** A referral as the API shows it: ids and statuses, no names (rule N3). */
const referralColumns = {
  id: referrals.id,
  referrerId: referrals.referrerId,
  refereeId: referrals.refereeId,
  status: referrals.status,
  ineligibleReason: referrals.ineligibleReason,
  reviewState: referrals.reviewState,
  source: referrals.source,
  createdAt: referrals.createdAt,
  qualifiedAt: referrals.qualifiedAt,
  updatedAt: referrals.updatedAt,
};

/**
 * Referrals changed since a moment, oldest change first, a page at a time (for a system that
 * syncs). Ids and statuses only: whoever needs a name asks for the patient (rule N3).
 */
export async function referralChanges(
  ctx: ServiceContext,
  input: { status?: (typeof referrals.$inferSelect)["status"]; updatedSince?: Date; cursor?: string; limit: number },
) {
  const position = input.cursor ? decodeCursor(input.cursor) : null;
  const rows = await ctx.db
    .select({ ...referralColumns, at: positionAt(referrals.updatedAt) })
    .from(referrals)
    .where(
      and(
        eq(referrals.clinicId, ctx.clinicId),
        input.status ? eq(referrals.status, input.status) : undefined,
        input.updatedSince ? gt(referrals.updatedAt, input.updatedSince) : undefined,
        position ? sql`(${referrals.updatedAt}, ${referrals.id}) > (${position.at}::timestamptz, ${position.id}::uuid)` : undefined,
      ),
    )
    .orderBy(asc(referrals.updatedAt), asc(referrals.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    data: page.map(({ at: _at, ...r }) => r),
    nextCursor: rows.length > input.limit && last ? encodeCursor({ at: last.at, id: last.id }) : null,
  };
}

export async function apiReferral(ctx: ServiceContext, input: { referralId: string }) {
  const [row] = await ctx.db
    .select(referralColumns)
    .from(referrals)
    .where(and(eq(referrals.id, input.referralId), eq(referrals.clinicId, ctx.clinicId)));
  if (!row) throw new DomainError("not_found", "No such referral at this clinic.");
  return row;
}

const ofClinic = (clinicId: string, where: SQL | undefined) => and(eq(users.clinicId, clinicId), eq(users.role, "patient"), where);
