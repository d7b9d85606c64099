import { and, desc, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { creditLedger, referrals, users } from "@/db/schema";
import { clinicPatient } from "@/server/auth/accounts";
import { auditBy } from "@/server/kernel/audit";
import { withTransaction, type ServiceContext } from "@/server/kernel/context";
import { activeCode } from "@/server/services/referrals/codes";
import { firstNameLastInitial } from "@/server/kernel/contact";
import { creditBalance } from "@/server/services/rewards/ledger";

const HISTORY_LIMIT = 200;

/**
 * A patient's record for the console: who they are, their code, balance, referrals both ways
 * and ledger. Rule N3: reading it writes the staff member's access to the audit log in the
 * same transaction, so there is no view without its record.
 */
export async function patientRecord(ctx: ServiceContext, input: { patientId: string }) {
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const patient = await clinicPatient(tx, { clinicId, patientId: input.patientId });
    const referee = alias(users, "referee");
    const referrer = alias(users, "referrer");
    const [code, balanceCents, referredBy, made, ledger] = await Promise.all([
      activeCode({ db: tx }, { patientId: patient.id }),
      creditBalance({ db: tx, actor, clinicId }, { patientId: patient.id }),
      tx
        .select({ id: referrals.id, status: referrals.status, createdAt: referrals.createdAt, referrer: { id: referrer.id, firstName: referrer.firstName, lastName: referrer.lastName } })
        .from(referrals)
        .innerJoin(referrer, and(eq(referrer.id, referrals.referrerId), eq(referrer.clinicId, clinicId)))
        .where(and(eq(referrals.clinicId, clinicId), eq(referrals.refereeId, patient.id))),
      tx
        .select({
          id: referrals.id,
          status: referrals.status,
          ineligibleReason: referrals.ineligibleReason,
          createdAt: referrals.createdAt,
          qualifiedAt: referrals.qualifiedAt,
          referee: { id: referee.id, firstName: referee.firstName, lastName: referee.lastName },
        })
        .from(referrals)
        .innerJoin(referee, and(eq(referee.id, referrals.refereeId), eq(referee.clinicId, clinicId)))
        .where(and(eq(referrals.clinicId, clinicId), eq(referrals.referrerId, patient.id)))
        .orderBy(desc(referrals.createdAt), desc(referrals.id))
        .limit(HISTORY_LIMIT),
      tx
        .select({
          id: creditLedger.id,
          kind: creditLedger.kind,
          unit: creditLedger.unit,
          amountCents: creditLedger.amountCents,
          memo: creditLedger.memo,
          expiresAt: creditLedger.expiresAt,
          createdAt: creditLedger.createdAt,
        })
        .from(creditLedger)
        .where(and(eq(creditLedger.clinicId, clinicId), eq(creditLedger.patientId, patient.id)))
        .orderBy(desc(creditLedger.createdAt), desc(creditLedger.id))
        .limit(HISTORY_LIMIT),
    ]);
    await auditBy(tx, actor, { clinicId, action: "patient.view", targetType: "patient", targetId: patient.id });

    const short = (p: { id: string; firstName: string; lastName: string }) => ({ id: p.id, name: firstNameLastInitial(p.firstName, p.lastName) });
    const [by] = referredBy;
    return {
      patient: {
        id: patient.id,
        firstName: patient.firstName,
        lastName: patient.lastName,
        email: patient.email,
        emailVerified: !!patient.emailVerifiedAt,
        phone: patient.phoneNormalized,
        smsConsent: !!patient.smsOptInAt,
        joinedAt: patient.createdAt,
        disabled: !!patient.disabledAt,
      },
      code: code?.code ?? null,
      balanceCents,
      referredBy: by ? { referralId: by.id, status: by.status, createdAt: by.createdAt, referrer: short(by.referrer) } : null,
      referralsMade: made.map(({ referee: r, ...rest }) => ({ ...rest, referee: short(r) })),
      ledger,
    };
  });
}
