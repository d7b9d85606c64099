import { users } from "@/db/schema";
import { patientActor, type Actor } from "@/server/events/actor";
import { emitMany } from "@/server/events/emit";
import { clockNow } from "@/server/kernel/clock";
import { normalizeEmail, normalizePhone } from "@/server/kernel/contact";
import { withTransaction, type ServiceContext } from "@/server/kernel/context";
import { SMS_OPT_IN_WORDING } from "@/server/schemas/account";
import { issueCodes } from "@/server/services/referrals/codes";
import { recordSighting, type Fingerprint } from "@/server/services/referrals/fraud";
import { attributeAtSignUp, type AttributionCookie } from "@/server/services/referrals/referrals";

/** Every door a patient comes in by; the `patient.created` event names it. */
export type PatientSource = "sign_up" | "staff" | "import" | "api" | "seed";

export type NewPatient = {
  firstName: string;
  lastName: string;
  email: string;
  phone?: string | null;
  externalId?: string | null;
  /** Only a sign-up (or the demo) has one; everyone else claims the account later. */
  passwordHash?: string | null;
  /** Rule N7: consent is the patient's own tick, recorded with its time and the words they saw. */
  smsOptIn?: boolean;
  marketingOptIn?: boolean;
  governmentPayer?: boolean;
  patientSince?: string | null;
  /** The demo's accounts: confirmed, and marked so the demo banner can say so. */
  demo?: boolean;
};

/** Who sent the new patient, as the door saw it (rules P4, P5, P6). */
export type ArrivalClaim = {
  /** For the notice a sign-up shows when the code does not count. */
  clinicName: string;
  typedCode: string | null;
  cookie: AttributionCookie | null;
  /** The browser's network and device, when the patient came through one (rule P6). */
  fingerprint: Fingerprint;
  now: Date;
};

export type CreatedPatient = typeof users.$inferSelect;

/**
 * The one way a patient comes to exist, whatever the door: sign-up, front desk, REST, import,
 * the demo. In the caller's transaction, each new account gets its code (rule P2) and its
 * `patient.created` event. An address the clinic already has (or a platform admin's, for a
 * sign-up) makes no account and is left out of the answer; the caller says what that means.
 * `refuseDuplicates` lets the database's unique violation reach the caller instead, so it can
 * name the field that clashed. `selfActing`: the new patient is the one acting (a sign-up), so
 * the event and the referral name them, not the door.
 */
export async function createPatients(
  ctx: ServiceContext,
  input: { source: PatientSource; patients: NewPatient[]; refuseDuplicates?: boolean; selfActing?: boolean },
): Promise<CreatedPatient[]> {
  if (!input.patients.length) return [];
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const insert = tx.insert(users).values(
      input.patients.map((p) => {
        const email = p.email.trim().toLowerCase();
        return {
          clinicId,
          role: "patient" as const,
          email,
          emailNormalized: normalizeEmail(email),
          phoneNormalized: normalizePhone(p.phone),
          externalId: p.externalId ?? null,
          firstName: p.firstName,
          lastName: p.lastName,
          passwordHash: p.passwordHash ?? null,
          governmentPayer: p.governmentPayer ?? false,
          patientSince: p.patientSince ?? null,
          // Rule N7: no number, no consent.
          ...(p.smsOptIn && p.phone ? { smsOptInAt: clockNow, smsOptInWording: SMS_OPT_IN_WORDING } : {}),
          ...(p.marketingOptIn ? { marketingOptInAt: clockNow } : {}),
          ...(p.demo ? { demoAccount: true, emailVerifiedAt: clockNow } : {}),
        };
      }),
    );
    // users_clinic_email_unique and users_clinic_external_id_unique decide what is already here.
    const created = input.refuseDuplicates ? await insert.returning() : await insert.onConflictDoNothing().returning();
    await issueCodes({ db: tx, actor, clinicId }, { patientIds: created.map((u) => u.id) });
    const event = (patientId: string) => ({ type: "patient.created" as const, clinicId, data: { patientId, source: input.source } });
    if (input.selfActing) for (const u of created) await emitMany(tx, patientActor(u.id, clinicId), [event(u.id)]);
    else await emitMany(tx, actor, created.map((u) => event(u.id)));
    return created;
  });
}

/**
 * One patient, and the referral that brought them when the door knows of one: the friend's
 * code typed in, or the link's cookie inside the window (rules P4, P5), checked by the same
 * eligibility rules at every door (P1, P6). `null` when the address is taken.
 */
export async function createPatient(
  ctx: ServiceContext,
  input: { source: PatientSource; patient: NewPatient; arrival?: ArrivalClaim; refuseDuplicates?: boolean; selfActing?: boolean },
): Promise<{ patient: CreatedPatient; referralId: string | null; notice: string | null } | null> {
  return withTransaction(ctx, async (tx) => {
    const [patient] = await createPatients(tx, { source: input.source, patients: [input.patient], refuseDuplicates: input.refuseDuplicates, selfActing: input.selfActing });
    if (!patient) return null;
    if (!input.arrival) return { patient, referralId: null, notice: null };
    await recordSighting(tx, { patientId: patient.id, ...input.arrival.fingerprint });
    const { clinicName, ...claim } = input.arrival;
    const attribution = await attributeAtSignUp({ ...tx, actor: actorFor(tx.actor, patient.id, tx.clinicId, input.selfActing) }, { clinicName, referee: patient, ...claim });
    return { patient, ...attribution };
  });
}

function actorFor(door: Actor, patientId: string, clinicId: string, selfActing = false): Actor {
  return selfActing ? patientActor(patientId, clinicId) : door;
}
