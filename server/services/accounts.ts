import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { hashPassword, verifyPassword } from "@/server/auth/password";
import type { SignUpInput } from "@/server/schemas/account";
import { issueCode } from "./codes";
import { DomainError } from "./errors";
import { recordSighting, type Fingerprint } from "./fraud";
import { normalizeEmail, normalizePhone } from "./identity";
import { clinicBySlug } from "./programs";
import { attributeAtSignUp } from "./referrals";

export type SignUpResult = { userId: string; referralId: string | null; notice: string | null };

/**
 * Patient self sign-up. The account, its referral code (rule P2) and its referral (rule P5)
 * are written in one transaction: a failure anywhere leaves nothing behind (rule N4).
 */
export async function registerPatient(
  db: Db,
  input: SignUpInput,
  context: { attributionCode: string | null; fingerprint: Fingerprint },
): Promise<SignUpResult> {
  const clinic = await clinicBySlug(db, input.clinicSlug);
  if (!clinic) throw new DomainError("NOT_FOUND", "We couldn't find that clinic. Check the link you followed.");
  const passwordHash = await hashPassword(input.password);
  const email = input.email.toLowerCase();
  const code = input.referralCode?.trim() || null;

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
        passwordHash,
      })
      .onConflictDoNothing({ target: users.email })
      .returning();
    if (!user) {
      throw new DomainError("CONFLICT", "An account with this email already exists. Sign in instead.", "email");
    }
    await issueCode(tx, { clinicId: clinic.id, patientId: user.id });
    await recordSighting(tx, { clinicId: clinic.id, patientId: user.id, ...context.fingerprint });
    if (!code) return { userId: user.id, referralId: null, notice: null };
    const attribution = await attributeAtSignUp(tx, {
      clinic,
      referee: user,
      code,
      fromLink: !!context.attributionCode && context.attributionCode.toUpperCase() === code.toUpperCase(),
      fingerprint: context.fingerprint,
    });
    return { userId: user.id, ...attribution };
  });
}

export type SignInFailure = "unknown_email" | "wrong_password" | "disabled";

export async function checkCredentials(
  db: Db,
  input: { email: string; password: string },
): Promise<{ ok: true; user: { id: string; email: string; name: string } } | { ok: false; reason: SignInFailure }> {
  const [user] = await db.select().from(users).where(eq(users.email, input.email.trim().toLowerCase()));
  if (!user?.passwordHash) return { ok: false, reason: "unknown_email" };
  if (!(await verifyPassword(input.password, user.passwordHash))) return { ok: false, reason: "wrong_password" };
  if (user.disabledAt) return { ok: false, reason: "disabled" };
  return { ok: true, user: { id: user.id, email: user.email, name: `${user.firstName} ${user.lastName}` } };
}

/** The caller as the database knows them now; roles are never trusted from the session token. */
export async function loadActor(db: Db, userId: string) {
  const [user] = await db
    .select({ id: users.id, clinicId: users.clinicId, role: users.role, firstName: users.firstName, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.id, userId));
  return user && !user.disabledAt ? user : undefined;
}

export async function clinicPatient(db: Db, input: { clinicId: string; patientId: string }) {
  const [patient] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, input.patientId), eq(users.clinicId, input.clinicId), eq(users.role, "patient")));
  if (!patient) throw new DomainError("NOT_FOUND", "No such patient at this clinic.");
  return patient;
}
