import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "@/server/auth/password";
import type { SignUpInput } from "@/server/schemas/account";
import { issueCode } from "./codes";
import { DomainError } from "./errors";
import { recordSighting, type Fingerprint } from "./fraud";
import { normalizeEmail, normalizePhone } from "./identity";
import { clinicBySlug } from "./programs";
import { attributeAtSignUp, parseAttributionCookie } from "./referrals";

export type SignUpResult = { userId: string; referralId: string | null; notice: string | null };

const EMAIL_TAKEN = "An account with this email already exists. Sign in instead.";

/**
 * Patient self sign-up. The account, its referral code (rule P2) and its referral (rule P5)
 * are written in one transaction: a failure anywhere leaves nothing behind (rule N4).
 * `attributionCode` is the raw value of the clinic's attribution cookie, if the browser sent one.
 */
export async function registerPatient(
  db: Db,
  input: SignUpInput,
  context: { attributionCode: string | null; fingerprint: Fingerprint; now?: Date },
): Promise<SignUpResult> {
  const clinic = await clinicBySlug(db, input.clinicSlug);
  if (!clinic) throw new DomainError("NOT_FOUND", "We couldn't find that clinic. Check the link you followed.");
  const email = input.email.toLowerCase();
  // Cheap refusals before the deliberately slow hash, so a flood of doomed sign-ups costs little.
  const [taken] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (taken) throw new DomainError("CONFLICT", EMAIL_TAKEN, "email");
  const passwordHash = await hashPassword(input.password);

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
    if (!user) throw new DomainError("CONFLICT", EMAIL_TAKEN, "email");
    await issueCode(tx, { clinicId: clinic.id, patientId: user.id });
    await recordSighting(tx, { clinicId: clinic.id, patientId: user.id, ...context.fingerprint });
    const attribution = await attributeAtSignUp(tx, {
      clinic,
      referee: user,
      typedCode: input.referralCode?.trim() || null,
      cookie: parseAttributionCookie(context.attributionCode),
      fingerprint: context.fingerprint,
      now: context.now ?? new Date(),
    });
    return { userId: user.id, ...attribution };
  });
}

export type SignInFailure = "invalid_credentials" | "disabled";

/**
 * Rule N6: an unknown email and a wrong password give the same answer after the same work (a
 * hash check against a dummy), so neither the reply nor its timing tells which emails have
 * accounts. A legacy or weaker hash is replaced after a successful check.
 */
export async function checkCredentials(
  db: Db,
  input: { email: string; password: string },
): Promise<{ ok: true; user: { id: string; email: string; name: string } } | { ok: false; reason: SignInFailure }> {
  const [user] = await db.select().from(users).where(eq(users.email, input.email.trim().toLowerCase()));
  if (!user?.passwordHash) {
    await verifyAgainstDummy(input.password);
    return { ok: false, reason: "invalid_credentials" };
  }
  const check = await verifyPassword(input.password, user.passwordHash);
  if (!check.ok) return { ok: false, reason: "invalid_credentials" };
  if (user.disabledAt) return { ok: false, reason: "disabled" };
  if (check.needsRehash) {
    // Conditional on the old hash: a password changed meanwhile is never overwritten.
    await db
      .update(users)
      .set({ passwordHash: await hashPassword(input.password) })
      .where(and(eq(users.id, user.id), eq(users.passwordHash, user.passwordHash)));
  }
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
