import { currentTime } from "@/server/kernel/clock";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import type { Actor } from "@/server/events/actor";
import { emit } from "@/server/events/emit";
import { auditBy } from "@/server/kernel/audit";
import { issueCode } from "@/server/services/referrals/codes";
import { DomainError } from "@/server/kernel/errors";
import { normalizeEmail, normalizePhone } from "@/server/kernel/contact";
import { clinicById } from "@/server/services/programs/programs";
import { attributeAtSignUp } from "@/server/services/referrals/referrals";

export type DeskPatientInput = { clinicId: string; firstName: string; lastName: string; email: string; phone?: string; referralCode?: string };

/**
 * The front desk adds a patient by hand, often with the code of the friend who sent them (many
 * referrals happen at the counter). The account, its code (rule P2) and its referral (P5) are
 * one transaction, and the referral passes the same eligibility rules as a sign-up (P1, P6): a
 * known patient, a self-referral or a paused program earns nothing. The account has no
 * password until its owner claims it. Staff may learn that an email is taken: they see patients.
 */
export async function addPatientAtDesk(db: Db, actor: Actor, input: DeskPatientInput) {
  const clinic = await clinicById(db, input.clinicId);
  const email = input.email.toLowerCase();
  return db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({
        clinicId: clinic.id,
        role: "patient",
        email,
        emailNormalized: normalizeEmail(email),
        phoneNormalized: normalizePhone(input.phone),
        firstName: input.firstName,
        lastName: input.lastName,
      })
      .onConflictDoNothing()
      .returning();
    if (!user) throw new DomainError("CONFLICT", `A patient with the email ${email} is already registered here. Search for them instead.`, "email");
    await issueCode(tx, { clinicId: clinic.id, patientId: user.id });
    const attribution = await attributeAtSignUp(tx, actor, {
      clinic,
      referee: user,
      typedCode: input.referralCode?.trim() || null,
      cookie: null,
      fingerprint: { ipHash: null, deviceHash: null },
      now: await currentTime(tx),
    });
    await emit(tx, actor, { type: "patient.created", clinicId: clinic.id, data: { patientId: user.id, source: "staff" } });
    await auditBy(tx, actor, { clinicId: clinic.id, action: "patient.create", targetType: "patient", targetId: user.id, after: { referralId: attribution.referralId } });
    return { patientId: user.id, referralId: attribution.referralId, notice: attribution.notice };
  });
}
