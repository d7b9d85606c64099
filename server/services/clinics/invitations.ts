import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull, ne, or } from "drizzle-orm";
import type { Db } from "@/db/client";
import { clinics, invitations, users } from "@/db/schema";
import { hashPassword } from "@/server/auth/password";
import type { AcceptInvitationInput, InviteInput } from "@/server/schemas/team";
import { actorUserId, staffActor } from "@/server/events/actor";
import { auditBy } from "@/server/kernel/audit";
import { withTransaction, type ServiceContext } from "@/server/kernel/context";
import { hasAcceptedBaa, recordBaaAcceptance, signerName } from "./baa";
import { retireAccountLinks, sendAccountEmail, sendVerificationEmail } from "@/server/auth/account-links";
import { appUrl } from "@/server/kernel/app-url";
import { DomainError, isUniqueViolation } from "@/server/kernel/errors";
import { hasVerifiedAdmin } from "@/server/messaging/gate";
import { normalizeEmail } from "@/server/kernel/contact";

const VALID_DAYS = 7;

export const INVITE_AFTER_CONFIRMING = "Confirm your email address first: open the link we emailed you. Until an admin's address is confirmed, the clinic sends no invitations.";

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export type InvitationState = "pending" | "expired" | "revoked" | "accepted";

export function invitationState(row: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now = new Date()): InvitationState {
  if (row.acceptedAt) return "accepted";
  if (row.revokedAt) return "revoked";
  return row.expiresAt <= now ? "expired" : "pending";
}

/**
 * Rule C5: an admin invites a staff member or admin. The link is returned for the admin to
 * copy; only the token's hash is kept. A new invitation to the same address replaces the open one.
 */
export async function inviteMember(ctx: ServiceContext, input: InviteInput) {
  const { db, actor, clinicId } = ctx;
  const email = input.email.toLowerCase();
  // An invitation names the admin who sent it.
  const invitedById = actorUserId(actor);
  if (!invitedById) throw new DomainError("refused", "Only an admin can invite a team member.");
  // Rule N6: a staff address is one account among all non-patient ones, and one account at its clinic.
  const [existing] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.email, email), or(ne(users.role, "patient"), eq(users.clinicId, clinicId))));
  if (existing) throw new DomainError("conflict", "Someone already has an account with this email. Use another address.", "email");
  // Issue 19: a clinic's own admin invites only once an admin's address is confirmed; the platform vouches for the clinics it adds.
  const platformAsked = actor.clinicId === null;
  if (!platformAsked && !(await hasVerifiedAdmin(db, clinicId))) throw new DomainError("precondition", INVITE_AFTER_CONFIRMING, "email");
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + VALID_DAYS * 24 * 60 * 60 * 1000);
  try {
    return await withTransaction(ctx, async ({ db: tx }) => {
      const replaced = await tx
        .update(invitations)
        .set({ revokedAt: new Date() })
        .where(and(eq(invitations.clinicId, clinicId), eq(invitations.email, email), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
        .returning({ id: invitations.id });
      const [row] = await tx
        .insert(invitations)
        .values({ clinicId, email, role: input.role, tokenHash: hashToken(token), invitedById, expiresAt })
        .returning();
      if (!row) throw new Error("invitation insert returned nothing");
      await auditBy(tx, actor, {
        clinicId,
        action: "team.invite",
        targetType: "invitation",
        targetId: row.id,
        before: replaced.length ? { replacedInvitation: replaced[0]?.id } : null,
        after: { email, role: input.role, expiresAt: expiresAt.toISOString() },
      });
      const [clinic] = await tx.select({ name: clinics.name }).from(clinics).where(eq(clinics.id, clinicId));
      await sendAccountEmail(tx, { kind: "team.invitation", to: { id: null, email, firstName: "", clinicId }, vars: { role: input.role === "admin" ? "an admin" : "staff", clinic_name: clinic?.name ?? "" }, privateLink: appUrl(`/invite/${token}`), platformAsked });
      return { invitationId: row.id, path: `/invite/${token}`, expiresAt };
    });
  } catch (error) {
    if (isUniqueViolation(error, "invitations_one_open_per_email")) {
      throw new DomainError("conflict", "Another invitation to this email was created at the same moment. Refresh the list.", "email");
    }
    throw error;
  }
}

export async function revokeInvitation(ctx: ServiceContext, input: { invitationId: string; reason?: string }) {
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const [row] = await tx
      .update(invitations)
      .set({ revokedAt: new Date() })
      .where(and(eq(invitations.id, input.invitationId), eq(invitations.clinicId, clinicId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
      .returning();
    if (!row) {
      const [found] = await tx.select().from(invitations).where(and(eq(invitations.id, input.invitationId), eq(invitations.clinicId, clinicId)));
      if (!found) throw new DomainError("not_found", "No such invitation at this clinic.");
      throw new DomainError("conflict", found.acceptedAt ? "This invitation was already accepted." : "This invitation was already revoked.");
    }
    await auditBy(tx, actor, {
      clinicId,
      action: "team.invitation_revoke",
      targetType: "invitation",
      targetId: row.id,
      reason: input.reason ?? null,
      before: { email: row.email, role: row.role, state: "pending" },
      after: { state: "revoked" },
    });
    return { id: row.id };
  });
}

export async function pendingInvitations(ctx: ServiceContext) {
  const { db, clinicId } = ctx;
  const rows = await db
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      expiresAt: invitations.expiresAt,
      createdAt: invitations.createdAt,
      invitedBy: { firstName: users.firstName, lastName: users.lastName },
    })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.invitedById))
    .where(and(eq(invitations.clinicId, clinicId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
    .orderBy(desc(invitations.createdAt));
  const now = new Date();
  return rows.map((r) => ({ ...r, role: r.role as "staff" | "admin", expired: r.expiresAt <= now }));
}

/**
 * What the public invitation page shows: the clinic, the role and the address, nothing else. A
 * public lookup by token, before anyone is signed in: only the database.
 */
export async function invitationByToken(ctx: { db: Db }, input: { token: string }) {
  const { db } = ctx;
  const [row] = await db
    .select({
      email: invitations.email,
      role: invitations.role,
      expiresAt: invitations.expiresAt,
      acceptedAt: invitations.acceptedAt,
      revokedAt: invitations.revokedAt,
      clinicName: clinics.name,
      clinicId: invitations.clinicId,
    })
    .from(invitations)
    .innerJoin(clinics, eq(clinics.id, invitations.clinicId))
    .where(eq(invitations.tokenHash, hashToken(input.token)));
  if (!row) return null;
  const role = row.role as "staff" | "admin";
  return { clinicName: row.clinicName, email: row.email, role, state: invitationState(row), baaRequired: await baaRequiredFor(db, { role, clinicId: row.clinicId }) };
}

/** Issue 19: an admin joining a clinic that has not accepted the BAA in force accepts it on joining. */
async function baaRequiredFor(db: Db, invitation: { role: string; clinicId: string }): Promise<boolean> {
  return invitation.role === "admin" && !(await hasAcceptedBaa({ db, clinicId: invitation.clinicId }));
}

const BAA_REQUIRED_TO_JOIN = "Accept the Business Associate Agreement to join as this clinic's admin: the clinic has not accepted it yet.";

export const UNUSABLE_INVITATION: Record<Exclude<InvitationState, "pending">, string> = {
  expired: "This invitation has expired. Ask your clinic's admin to send a new one.",
  revoked: "This invitation was withdrawn. Ask your clinic's admin if you still need access.",
  accepted: "This invitation has already been used. Sign in with the account it created.",
};

/**
 * Rule C5: the account and the acceptance in one transaction. The invitation row is locked
 * first, so of two clicks, tabs or requests one creates the account and the other is told so.
 * A public door (the invitee has no account yet): only the database; the new member then acts.
 */
export async function acceptInvitation(ctx: { db: Db }, input: AcceptInvitationInput): Promise<{ userId: string; email: string }> {
  const { db } = ctx;
  // Cheap refusals before the deliberately slow hash; the locked read below decides for real.
  const [seen] = await db.select().from(invitations).where(eq(invitations.tokenHash, hashToken(input.token)));
  if (!seen) throw new DomainError("not_found", "We couldn't find this invitation. Check that you copied the whole link.");
  const seenState = invitationState(seen);
  if (seenState !== "pending") throw new DomainError("precondition", UNUSABLE_INVITATION[seenState]);
  const passwordHash = await hashPassword(input.password);
  return withTransaction(ctx, async ({ db: tx }) => {
    const [invitation] = await tx.select().from(invitations).where(eq(invitations.tokenHash, hashToken(input.token))).for("update");
    if (!invitation) throw new DomainError("not_found", "We couldn't find this invitation. Check that you copied the whole link.");
    const state = invitationState(invitation);
    if (state !== "pending") throw new DomainError("precondition", UNUSABLE_INVITATION[state]);
    const baaRequired = await baaRequiredFor(tx, invitation);
    if (baaRequired && !input.baaAccepted) throw new DomainError("precondition", BAA_REQUIRED_TO_JOIN, "baaAccepted");

    const [user] = await tx
      .insert(users)
      .values({
        clinicId: invitation.clinicId,
        role: invitation.role,
        email: invitation.email,
        emailNormalized: normalizeEmail(invitation.email),
        firstName: input.firstName,
        lastName: input.lastName,
        passwordHash,
      })
      // users_member_email_unique and users_clinic_email_unique decide, whatever was read before.
      .onConflictDoNothing()
      .returning({ id: users.id, email: users.email, firstName: users.firstName, clinicId: users.clinicId });
    if (!user) throw new DomainError("conflict", "An account with this invitation's email already exists. Sign in instead.");
    // Issue 19: the inviter may have handed the link over themselves, so only the emailed verification link confirms the address.
    await sendVerificationEmail(tx, user);
    await tx.update(invitations).set({ acceptedAt: new Date(), acceptedUserId: user.id }).where(eq(invitations.id, invitation.id));
    await retireAccountLinks(tx, { id: user.id, email: invitation.email, clinicId: invitation.clinicId });
    await auditBy(tx, staffActor(user.id, invitation.clinicId), {
      clinicId: invitation.clinicId,
      action: "team.invitation_accept",
      targetType: "invitation",
      targetId: invitation.id,
      after: { userId: user.id, email: invitation.email, role: invitation.role },
    });
    if (baaRequired) await recordBaaAcceptance({ db: tx, actor: staffActor(user.id, invitation.clinicId), clinicId: invitation.clinicId }, { userId: user.id, signerName: signerName(input) });
    return { userId: user.id, email: invitation.email };
  });
}
