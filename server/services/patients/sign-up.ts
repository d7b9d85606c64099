import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { sendVerificationEmail } from "@/server/auth/account-links";
import { signInPath } from "@/server/auth/accounts";
import { hashPassword } from "@/server/auth/password";
import { systemActor } from "@/server/events/actor";
import { appUrl } from "@/server/kernel/app-url";
import { withTransaction } from "@/server/kernel/context";
import { DomainError } from "@/server/kernel/errors";
import { enqueueMessage } from "@/server/messaging/outbox";
import type { SignUpInput } from "@/server/schemas/account";
import { sendTemplated } from "@/server/services/messages/compose";
import { clinicBySlug } from "@/server/services/programs/programs";
import type { Fingerprint } from "@/server/services/referrals/fraud";
import { parseAttributionCookie } from "@/server/services/referrals/referrals";
import { createPatient } from "./create";

export type SignUpResult =
  | { created: true; userId: string; referralId: string | null; notice: string | null }
  /** The email already had an account at this clinic: nothing was made, its owner was told. */
  | { created: false };

/**
 * Patient self sign-up. The account, its referral code (rule P2) and its referral (rule P5)
 * are written in one transaction: a failure anywhere leaves nothing behind (rule N4).
 * Rule N6: an email that already has an account at this clinic (or is a platform admin's) gets
 * the same answer after the same hashing work, and its owner a message instead of a new account.
 * `attributionCode` is the raw value of the clinic's attribution cookie, if the browser sent one.
 * A public door: the patient does not exist yet and no clinic is known before the slug is read,
 * so its context is the database alone; the door acts until the account exists.
 */
export async function registerPatient(
  ctx: { db: Db },
  input: SignUpInput & { attributionCode: string | null; fingerprint: Fingerprint; now?: Date },
): Promise<SignUpResult> {
  const { attributionCode, fingerprint, now, ...form } = input;
  const clinic = await clinicBySlug(ctx, { slug: form.clinicSlug });
  if (!clinic) throw new DomainError("not_found", "We couldn't find that clinic. Check the link you followed.");
  const email = form.email.toLowerCase();
  const passwordHash = await hashPassword(form.password);

  return withTransaction({ db: ctx.db, actor: systemActor("sign_up", clinic.id), clinicId: clinic.id }, async (door) => {
    const tx = door.db;
    // A platform admin's address stays theirs alone, so a sign-in by email alone is never ambiguous for them.
    const [platformAccount] = await tx.select({ id: users.id }).from(users).where(and(eq(users.email, email), eq(users.role, "platform_admin")));
    // The patient acts on their own sign-up; until the account exists, the door does.
    const created = platformAccount
      ? null
      : await createPatient(door, {
          source: "sign_up",
          patient: { ...form, email, passwordHash, smsOptIn: form.smsOptIn, marketingOptIn: form.marketingOptIn },
          arrival: {
            clinicName: clinic.name,
            typedCode: form.referralCode?.trim() || null,
            cookie: parseAttributionCookie(attributionCode),
            fingerprint,
            now: now ?? new Date(),
          },
          selfActing: true,
        });
    if (!created) {
      await enqueueMessage(tx, signUpAttemptMessage(clinic, email));
      return { created: false as const };
    }
    const { patient, referralId, notice } = created;
    // Both outcomes leave a message, so the page after sign-up can say the same thing to either.
    await sendTemplated(door, { kind: "patient.welcome", clinic, to: patient, vars: {} });
    await sendVerificationEmail(tx, patient);
    return { created: true as const, userId: patient.id, referralId, notice };
  });
}

function signUpAttemptMessage(clinic: { id: string; slug: string; name: string }, email: string) {
  return {
    kind: "patient.sign_up_existing",
    clinicId: clinic.id,
    to: email,
    subject: `Someone tried to create an account at ${clinic.name} with your email`,
    body:
      `Someone tried to create a patient account at ${clinic.name} with this email address, which already has one. ` +
      `Nothing was changed. If it was you, sign in with your existing password at ${appUrl(signInPath(clinic.slug))}. ` +
      `If it wasn't you, you can ignore this message.`,
  };
}
