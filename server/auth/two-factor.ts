import { createHash, randomBytes } from "node:crypto";
import { and, count, eq, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";
import type { Db } from "@/db/client";
import { clinics, recoveryCodes, twoFactorSecrets, users } from "@/db/schema";
import { verifyPassword } from "./password";
import { type Actor, actorUserId } from "@/server/events/actor";
import { auditBy } from "@/server/kernel/audit";
import { DomainError } from "@/server/kernel/errors";
import { seal, unseal, type SealPurpose } from "@/server/kernel/sealed";
import { endSessionsOf } from "./sessions";

const TOTP_SECRET: SealPurpose = { salt: "two-factor", info: "totp-secret-v1" };
const ISSUER = "Referrals";
const PERIOD = 30;
export const RECOVERY_CODE_COUNT = 10;

const totpFor = (secret: string, label = "") => new TOTP({ issuer: ISSUER, label, algorithm: "SHA1", digits: 6, period: PERIOD, secret: Secret.fromBase32(secret) });

/** 80 random bits as four groups of five hex digits: typed from paper, hashed without a slow KDF. */
function newRecoveryCode(): string {
  const hex = randomBytes(10).toString("hex");
  return [0, 5, 10, 15].map((i) => hex.slice(i, i + 5)).join("-");
}
const normalizeRecovery = (code: string) => code.toLowerCase().replace(/[^0-9a-f]/g, "");
const hashRecovery = (code: string) => createHash("sha256").update(normalizeRecovery(code)).digest("hex");

async function staffOrPlatform(db: Db, userId: string) {
  const [user] = await db.select({ email: users.email, role: users.role, passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  if (!user || user.role === "patient") throw new DomainError("refused", "Two-factor sign-in is for clinic staff and platform admins.");
  return user;
}

/**
 * Step 1 of enrolment: a fresh secret, stored sealed and not yet on, shown as a QR code for the
 * authenticator app (and as text for typing in). Starting again replaces an unconfirmed secret.
 */
export async function startEnrolment(db: Db, userId: string) {
  await staffOrPlatform(db, userId);
  const secret = new Secret({ size: 20 }).base32;
  const [row] = await db
    .insert(twoFactorSecrets)
    .values({ userId, secretSealed: seal(TOTP_SECRET, secret) })
    .onConflictDoUpdate({ target: twoFactorSecrets.userId, set: { secretSealed: seal(TOTP_SECRET, secret), createdAt: new Date(), lastStep: null }, setWhere: isNull(twoFactorSecrets.confirmedAt) })
    .returning({ userId: twoFactorSecrets.userId });
  if (!row) throw new DomainError("conflict", "Two-factor sign-in is already on for your account.");
  const pending = await pendingEnrolment(db, userId);
  if (!pending) throw new DomainError("conflict", "Two-factor sign-in is already on for your account.");
  return pending;
}

/** An enrolment started and not yet confirmed, shown again until the first code confirms it. */
export async function pendingEnrolment(db: Db, userId: string) {
  const [row] = await db
    .select({ secretSealed: twoFactorSecrets.secretSealed, email: users.email })
    .from(twoFactorSecrets)
    .innerJoin(users, eq(users.id, twoFactorSecrets.userId))
    .where(and(eq(twoFactorSecrets.userId, userId), isNull(twoFactorSecrets.confirmedAt)));
  if (!row) return null;
  const secret = unseal(TOTP_SECRET, row.secretSealed);
  const uri = totpFor(secret, row.email).toString();
  return { secret, uri, qrDataUrl: await QRCode.toDataURL(uri, { margin: 1, width: 220 }) };
}

/** Null when the secret was sealed under another AUTH_SECRET: app codes fail, recovery codes still work. */
function openSecret(sealed: string): string | null {
  try {
    return unseal(TOTP_SECRET, sealed);
  } catch {
    return null;
  }
}

/** The 30-second step a code belongs to, or null when it is not a current code. */
function stepOf(secret: string, code: string, now: Date): number | null {
  const delta = totpFor(secret).validate({ token: code, timestamp: now.getTime(), window: 1 });
  return delta === null ? null : Math.floor(now.getTime() / 1000 / PERIOD) + delta;
}

/**
 * Step 2: a first code from the app proves it was set up; only then is the second factor on. The
 * ten recovery codes are returned this once and kept only as hashes. Other sessions end (rule N6).
 */
export async function confirmEnrolment(db: Db, input: { userId: string; sessionId: string | null; code: string }, now = new Date()) {
  await staffOrPlatform(db, input.userId);
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(twoFactorSecrets).where(eq(twoFactorSecrets.userId, input.userId)).for("update");
    if (!row || row.confirmedAt) throw new DomainError("precondition", "Start setting up two-factor sign-in again.");
    const step = stepOf(unseal(TOTP_SECRET, row.secretSealed), input.code.replace(/\s/g, ""), now);
    if (step === null) throw new DomainError("invalid", "That code doesn't match. Enter the 6-digit code your app shows now.", "code");
    await tx.update(twoFactorSecrets).set({ confirmedAt: now, lastStep: step }).where(eq(twoFactorSecrets.userId, input.userId));
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, input.userId));
    await tx.insert(recoveryCodes).values(codes.map((code) => ({ userId: input.userId, codeHash: hashRecovery(code) })));
    await endSessionsOf(tx, { userId: input.userId, keep: input.sessionId }, now);
    return { recoveryCodes: codes };
  });
}

/** Turning it off takes the account's password, so an unattended open browser cannot. */
export async function disableTwoFactor(db: Db, input: { userId: string; password: string }) {
  const user = await staffOrPlatform(db, input.userId);
  if (!user.passwordHash || !(await verifyPassword(input.password, user.passwordHash)).ok) {
    throw new DomainError("invalid", "That password isn't right.", "password");
  }
  await db.transaction(async (tx) => {
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, input.userId));
    await tx.delete(twoFactorSecrets).where(eq(twoFactorSecrets.userId, input.userId));
  });
  return { enabled: false };
}

export type SecondFactorCheck = "not_enrolled" | "ok" | "required" | "invalid" | "throttled";

// Five wrong codes are free; then each try waits 30 s, doubling, up to 15 minutes (not a lockout).
const FREE_FAILURES = 5;
const MAX_WAIT_MS = 15 * 60_000;

function nextTryAt(row: { failedCodes: number; lastFailedAt: Date | null }): Date | null {
  if (row.failedCodes < FREE_FAILURES || !row.lastFailedAt) return null;
  return new Date(row.lastFailedAt.getTime() + Math.min(2 ** (row.failedCodes - FREE_FAILURES) * 30_000, MAX_WAIT_MS));
}

async function settle(tx: Db, userId: string, ok: boolean, now: Date): Promise<SecondFactorCheck> {
  await tx
    .update(twoFactorSecrets)
    .set(ok ? { failedCodes: 0 } : { failedCodes: sql`${twoFactorSecrets.failedCodes} + 1`, lastFailedAt: now })
    .where(eq(twoFactorSecrets.userId, userId));
  return ok ? "ok" : "invalid";
}

/**
 * Rule N6 at sign-in, after the password was right: a current app code, accepted once (the step
 * only moves forward), or an unused recovery code, spent by a conditional update so two
 * concurrent uses cannot both succeed. Issue 19 item 9: the secret's row is locked from the
 * throttle check to the count, so parallel guesses are looked at one by one and no more than
 * the free tries are ever evaluated.
 */
export async function checkSecondFactor(db: Db, input: { userId: string; code: string | null }, now = new Date()): Promise<SecondFactorCheck> {
  const code = (input.code ?? "").trim();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(twoFactorSecrets)
      .where(and(eq(twoFactorSecrets.userId, input.userId), isNotNull(twoFactorSecrets.confirmedAt)))
      .for("update");
    if (!row) return "not_enrolled";
    if (!code) return "required";
    // While guessing is slowed down the code is not even looked at, so trying gains nothing.
    const wait = nextTryAt(row);
    if (wait && wait > now) return "throttled";
    const digits = code.replace(/\s/g, "");
    if (/^\d{6}$/.test(digits)) {
      const secret = openSecret(row.secretSealed);
      const step = secret === null ? null : stepOf(secret, digits, now);
      if (step === null) return settle(tx, input.userId, false, now);
      const [taken] = await tx
        .update(twoFactorSecrets)
        .set({ lastStep: step })
        .where(and(eq(twoFactorSecrets.userId, input.userId), or(isNull(twoFactorSecrets.lastStep), lt(twoFactorSecrets.lastStep, step))))
        .returning({ userId: twoFactorSecrets.userId });
      return settle(tx, input.userId, !!taken, now);
    }
    const [spent] = await tx
      .update(recoveryCodes)
      .set({ usedAt: now })
      .where(and(eq(recoveryCodes.userId, input.userId), eq(recoveryCodes.codeHash, hashRecovery(code)), isNull(recoveryCodes.usedAt)))
      .returning({ id: recoveryCodes.id });
    return settle(tx, input.userId, !!spent, now);
  });
}

/**
 * Rule N6: whether the account must set up a second factor before working. A clinic may require it
 * of its staff; platform admins always need it where `platform` says so (production), demo accounts excepted.
 */
export async function secondFactorMissing(db: Db, userId: string, policy: { platform: boolean }): Promise<boolean> {
  const [row] = await db
    .select({ role: users.role, demo: users.demoAccount, clinicRequires: clinics.staffTwoFactorRequired, confirmedAt: twoFactorSecrets.confirmedAt })
    .from(users)
    .leftJoin(clinics, eq(clinics.id, users.clinicId))
    .leftJoin(twoFactorSecrets, eq(twoFactorSecrets.userId, users.id))
    .where(eq(users.id, userId));
  // Demo accounts have published passwords and no second factor (public contract): a second factor there would guard nothing.
  if (!row || row.confirmedAt || row.demo) return false;
  if (row.role === "staff" || row.role === "admin") return !!row.clinicRequires;
  return row.role === "platform_admin" && policy.platform;
}

export async function twoFactorStatus(db: Db, userId: string) {
  const [row] = await db.select({ confirmedAt: twoFactorSecrets.confirmedAt }).from(twoFactorSecrets).where(eq(twoFactorSecrets.userId, userId));
  const [left] = await db
    .select({ n: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return { enabled: !!row?.confirmedAt, recoveryCodesLeft: row?.confirmedAt ? (left?.n ?? 0) : 0 };
}

/**
 * Rule N6: a clinic admin requires the second factor of every staff member and admin; audited (C4).
 * Only an admin who uses one can turn it on, so nobody locks the console with a rule they cannot meet.
 */
export async function setStaffTwoFactorRequired(db: Db, input: { clinicId: string; actor: Actor; required: boolean }) {
  const person = actorUserId(input.actor);
  if (input.required && !(person && (await twoFactorStatus(db, person)).enabled)) {
    throw new DomainError("precondition", "Set up two-factor sign-in for your own account first, then require it of your team.");
  }
  return db.transaction(async (tx) => {
    const [before] = await tx.select({ required: clinics.staffTwoFactorRequired }).from(clinics).where(eq(clinics.id, input.clinicId)).for("update");
    if (!before) throw new DomainError("not_found", "No such clinic.");
    if (before.required === input.required) return { required: input.required };
    await tx.update(clinics).set({ staffTwoFactorRequired: input.required }).where(eq(clinics.id, input.clinicId));
    await auditBy(tx, input.actor, {
      clinicId: input.clinicId,
      action: "security.staff_two_factor",
      targetType: "clinic",
      targetId: input.clinicId,
      before: { required: before.required },
      after: { required: input.required },
    });
    return { required: input.required };
  });
}

export async function staffTwoFactorRequired(db: Db, clinicId: string): Promise<boolean> {
  const [row] = await db.select({ required: clinics.staffTwoFactorRequired }).from(clinics).where(eq(clinics.id, clinicId));
  return !!row?.required;
}
