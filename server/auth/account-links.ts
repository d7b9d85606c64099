import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull, ne } from "drizzle-orm";
import type { Db } from "@/db/client";
import { accountTokens, clinics, invitations, users } from "@/db/schema";
import { hashPassword } from "./password";
import { appUrl } from "@/server/kernel/app-url";
import { DomainError } from "@/server/kernel/errors";
import { hitRateLimit } from "@/server/kernel/rate-limit";
import { endSessionsOf } from "./sessions";
import { releaseHeld } from "@/server/messaging/gate";
import { MESSAGE_KINDS, type TemplatedKind } from "@/server/messaging/kinds";
import { renderEmail } from "@/server/messaging/render";
import { LINK_PLACEHOLDER, queueMessage } from "@/server/messaging/store";

const HOUR = 3600_000;
const VERIFY_VALID_MS = 7 * 24 * HOUR;
/** A reset link works once, for one hour. */
export const RESET_VALID_MS = HOUR;
/** An imported patient's invitation to claim the portal (issue 13) waits a week. */
const INVITATION_VALID_MS = 7 * 24 * HOUR;
const PLATFORM_SENDER = "Referral program";

const hashOf = (token: string) => createHash("sha256").update(token).digest("hex");

type Account = { id: string | null; email: string; firstName: string; clinicId: string | null };

async function senderOf(db: Db, clinicId: string | null): Promise<{ name: string; brandColor: string | null }> {
  const platform = { name: PLATFORM_SENDER, brandColor: null };
  if (!clinicId) return platform;
  const [clinic] = await db.select({ name: clinics.name, brandColor: clinics.brandColor }).from(clinics).where(eq(clinics.id, clinicId));
  return clinic ?? platform;
}

/** An account message, always sent (rule A2); the private link is sealed in the store, never readable by staff. */
export async function sendAccountEmail(tx: Db, input: { kind: TemplatedKind; to: Account; vars?: Record<string, string>; privateLink?: string; platformAsked?: boolean }) {
  const spec = MESSAGE_KINDS[input.kind];
  const sender = await senderOf(tx, input.to.clinicId);
  const vars = { first_name: input.to.firstName, clinic_name: sender.name, ...input.vars, ...(input.privateLink ? { private_link: LINK_PLACEHOLDER } : {}) };
  const email = await renderEmail({ subject: spec.subject, body: spec.body, vars, senderName: sender.name, brandColor: sender.brandColor, unsubscribe: false });
  await queueMessage(tx, { clinicId: input.to.clinicId, kind: input.kind, to: input.to.email, recipientId: input.to.id, subject: email.subject, body: email.text, html: email.html, privateLink: input.privateLink, platformAsked: input.platformAsked });
}

async function issueToken(tx: Db, userId: string, purpose: "verify_email" | "reset_password", validMs: number, now: Date) {
  const token = randomBytes(32).toString("base64url");
  await tx.insert(accountTokens).values({ userId, purpose, tokenHash: hashOf(token), expiresAt: new Date(now.getTime() + validMs) });
  return token;
}

/** Sign-up's verification email, in the sign-up's transaction; the portal works before it is opened. */
export async function sendVerificationEmail(tx: Db, account: Account & { id: string }, now = new Date()) {
  const token = await issueToken(tx, account.id, "verify_email", VERIFY_VALID_MS, now);
  await sendAccountEmail(tx, { kind: "account.verify_email", to: account, privateLink: appUrl(`/verify/${token}`) });
}

/**
 * Issue 13: a new link for the caller's own address, while it is unconfirmed (going live waits
 * for it). Limited per account in Postgres; earlier links keep working until they expire.
 */
export async function resendVerificationEmail(db: Db, userId: string, now = new Date()): Promise<{ state: "sent" | "already_verified" }> {
  return db.transaction(async (tx) => {
    const [account] = await tx
      .select({ id: users.id, email: users.email, firstName: users.firstName, clinicId: users.clinicId, emailVerifiedAt: users.emailVerifiedAt })
      .from(users)
      .where(eq(users.id, userId));
    if (!account) throw new DomainError("not_found", "Your account was not found. Please sign in again.");
    if (account.emailVerifiedAt) return { state: "already_verified" as const };
    await hitRateLimit(tx, { key: `verifyResend:${account.id}`, limit: 3, windowSeconds: 3_600, now });
    await sendVerificationEmail(tx, account, now);
    return { state: "sent" as const };
  });
}

/** Issue 13: an imported patient claims their portal by choosing a password, through the reset page. */
export async function sendPortalInvitation(tx: Db, account: Account & { id: string }, now = new Date()) {
  const token = await issueToken(tx, account.id, "reset_password", INVITATION_VALID_MS, now);
  // The claim page is the reset form worded for a first password (app/(auth)/claim).
  await sendAccountEmail(tx, { kind: "patient.portal_invitation", to: account, privateLink: appUrl(`/claim/${token}`) });
}

/**
 * Marks the address verified; the link is single-use. False for an unknown, used or expired link.
 * Issue 19: how an address is confirmed (a reset link proves it too); a clinic's first confirmed admin releases what it held.
 */
export async function verifyEmail(db: Db, token: string, now = new Date()): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [used] = await tx
      .update(accountTokens)
      .set({ usedAt: now })
      .where(and(eq(accountTokens.tokenHash, hashOf(token)), eq(accountTokens.purpose, "verify_email"), isNull(accountTokens.usedAt), gt(accountTokens.expiresAt, now)))
      .returning({ userId: accountTokens.userId });
    if (!used) return false;
    const [confirmed] = await tx
      .update(users)
      .set({ emailVerifiedAt: now })
      .where(and(eq(users.id, used.userId), isNull(users.emailVerifiedAt)))
      .returning({ clinicId: users.clinicId });
    if (confirmed?.clinicId) await releaseHeld(tx, confirmed.clinicId, now);
    return true;
  });
}

/**
 * A reset link to each account with this email at this clinic, or, without a clinic, to the
 * address's staff, admin or platform account. The answer
 * is the same whether or not an account exists (rule N6): nothing is returned.
 */
export async function requestPasswordReset(db: Db, input: { email: string; clinicId: string | null }, now = new Date()): Promise<void> {
  const email = input.email.trim().toLowerCase();
  await db.transaction(async (tx) => {
    const accounts = await tx
      .select({ id: users.id, email: users.email, firstName: users.firstName, clinicId: users.clinicId, disabledAt: users.disabledAt })
      .from(users)
      // Without a clinic: the staff, admin or platform account of this address (unique among them, rule N6).
      .where(and(eq(users.email, email), input.clinicId ? eq(users.clinicId, input.clinicId) : ne(users.role, "patient")));
    for (const account of accounts) {
      if (account.disabledAt) continue;
      const token = await issueToken(tx, account.id, "reset_password", RESET_VALID_MS, now);
      await sendAccountEmail(tx, { kind: "account.password_reset", to: account, privateLink: appUrl(`/reset/${token}`) });
    }
  });
}

/**
 * Sets a new password from a reset link: single-use, one hour, and it ends every session of the
 * account (rule N6), so whoever held the old password is signed out. Sends "password changed".
 */
export async function resetPassword(db: Db, input: { token: string; newPassword: string }, now = new Date()): Promise<{ userId: string; sessionsEnded: number }> {
  const passwordHash = await hashPassword(input.newPassword);
  const result = await db.transaction(async (tx) => {
    const [used] = await tx
      .update(accountTokens)
      .set({ usedAt: now })
      .where(and(eq(accountTokens.tokenHash, hashOf(input.token)), eq(accountTokens.purpose, "reset_password"), isNull(accountTokens.usedAt), gt(accountTokens.expiresAt, now)))
      .returning({ userId: accountTokens.userId });
    if (!used) return null;
    const [account] = await tx
      .update(users)
      // Opening the link proves the mailbox, so the address counts as verified too.
      .set({ passwordHash, emailVerifiedAt: now })
      .where(and(eq(users.id, used.userId), isNull(users.disabledAt)))
      .returning({ id: users.id, email: users.email, firstName: users.firstName, clinicId: users.clinicId, role: users.role });
    if (!account) return null;
    await retireAccountLinks(tx, account, now);
    if (account.role === "admin" && account.clinicId) await releaseHeld(tx, account.clinicId, now);
    const sessionsEnded = await endSessionsOf(tx, { userId: account.id }, now);
    await sendPasswordChanged(tx, account);
    return { userId: account.id, sessionsEnded };
  });
  if (!result) throw new DomainError("invalid", "This reset link has expired or was already used. Ask for a new one.", "token");
  return result;
}

/**
 * Rule N6, issue 19: however a password gets set (a reset or claim link, a change in account
 * security, an accepted invitation), every other reset, claim and invitation link of the account
 * stops working, in the transaction that sets it, so a link in an old mailbox can't take it back.
 */
export async function retireAccountLinks(tx: Db, account: { id: string; email: string; clinicId: string | null }, now = new Date()) {
  await tx
    .update(accountTokens)
    .set({ usedAt: now })
    .where(and(eq(accountTokens.userId, account.id), eq(accountTokens.purpose, "reset_password"), isNull(accountTokens.usedAt)));
  if (!account.clinicId) return;
  await tx
    .update(invitations)
    .set({ revokedAt: now })
    .where(and(eq(invitations.clinicId, account.clinicId), eq(invitations.email, account.email.toLowerCase()), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)));
}

export async function sendPasswordChanged(tx: Db, account: Account) {
  const [clinic] = account.clinicId ? await tx.select({ slug: clinics.slug }).from(clinics).where(eq(clinics.id, account.clinicId)) : [];
  await sendAccountEmail(tx, { kind: "account.password_changed", to: account, vars: { reset_link: appUrl(clinic ? `/reset?clinic=${clinic.slug}` : "/reset") } });
}
