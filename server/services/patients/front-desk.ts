import { currentTime } from "@/server/kernel/clock";
import { auditBy } from "@/server/kernel/audit";
import { withTransaction, type ServiceContext } from "@/server/kernel/context";
import { DomainError } from "@/server/kernel/errors";
import { clinicById } from "@/server/services/programs/programs";
import { createPatient } from "./create";

export type DeskPatientInput = { firstName: string; lastName: string; email: string; phone?: string; referralCode?: string };

/**
 * The front desk adds a patient by hand, often with the code of the friend who sent them (many
 * referrals happen at the counter). The account, its code (rule P2) and its referral (P5) are
 * one transaction, and the referral passes the same eligibility rules as a sign-up (P1, P6): a
 * known patient, a self-referral or a paused program earns nothing. The account has no
 * password until its owner claims it. Staff may learn that an email is taken: they see patients.
 */
export async function addPatientAtDesk(ctx: ServiceContext, input: DeskPatientInput) {
  const clinic = await clinicById(ctx);
  return withTransaction(ctx, async (tx) => {
    const created = await createPatient(tx, {
      source: "staff",
      patient: input,
      // At the counter there is no link and no browser: only the code the friend gave (rule P5).
      arrival: { clinicName: clinic.name, typedCode: input.referralCode?.trim() || null, cookie: null, fingerprint: { ipHash: null, deviceHash: null }, now: await currentTime(tx.db) },
    });
    if (!created) throw new DomainError("conflict", `A patient with the email ${input.email.toLowerCase()} is already registered here. Search for them instead.`, "email");
    const { patient, referralId, notice } = created;
    await auditBy(tx.db, tx.actor, { clinicId: clinic.id, action: "patient.create", targetType: "patient", targetId: patient.id, after: { referralId } });
    return { patientId: patient.id, referralId, notice };
  });
}
