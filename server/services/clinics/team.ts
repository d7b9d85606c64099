import { and, asc, count, eq, inArray, isNull, ne } from "drizzle-orm";
import type { Db } from "@/db/client";
import { clinics, users } from "@/db/schema";
import type { SetDisabledInput, SetRoleInput } from "@/server/schemas/team";
import { actorUserId } from "@/server/events/actor";
import { releaseHeld } from "@/server/messaging/gate";
import { auditBy } from "@/server/kernel/audit";
import { withTransaction, type ServiceContext } from "@/server/kernel/context";
import { DomainError } from "@/server/kernel/errors";
import { endSessionsOf } from "@/server/auth/sessions";

const TEAM_ROLES = ["staff", "admin"] as const;

/** Rule C5: the clinic's staff and admins, disabled ones included so they can be re-enabled. */
export async function teamMembers(ctx: ServiceContext) {
  const { db, clinicId } = ctx;
  const rows = await db
    .select({ id: users.id, firstName: users.firstName, lastName: users.lastName, email: users.email, role: users.role, disabledAt: users.disabledAt, createdAt: users.createdAt })
    .from(users)
    .where(and(eq(users.clinicId, clinicId), inArray(users.role, TEAM_ROLES)))
    .orderBy(asc(users.firstName), asc(users.lastName));
  return rows.map((r) => ({ ...r, role: r.role as "staff" | "admin" }));
}

/**
 * The clinic row is locked for the rest of the transaction: team changes of one clinic run one
 * at a time, so "at least one active admin" holds however many admins act at once. NO KEY
 * UPDATE leaves inserts that reference the clinic (clicks, sign-ups) unblocked.
 */
async function lockTeam(ctx: ServiceContext, input: { userId: string }) {
  const { db: tx, clinicId } = ctx;
  await tx.select({ id: clinics.id }).from(clinics).where(eq(clinics.id, clinicId)).for("no key update");
  // Only a person changes the team: a job, an inbound event or an API key never does.
  const actorId = ctx.actor.kind === "staff" ? actorUserId(ctx.actor) : null;
  const [actor] = actorId ? await tx.select().from(users).where(and(eq(users.id, actorId), eq(users.clinicId, clinicId))) : [];
  // The caller's role is re-read under the lock: an admin demoted a moment ago acts no more.
  if (!actor || actor.role !== "admin" || actor.disabledAt) throw new DomainError("refused", "Only an active admin can change the team.");
  const [target] = await tx
    .select()
    .from(users)
    .where(and(eq(users.id, input.userId), eq(users.clinicId, clinicId), inArray(users.role, TEAM_ROLES)));
  if (!target) throw new DomainError("not_found", "No such team member at this clinic.");
  return { actor, target };
}

async function otherActiveAdmins(tx: Db, clinicId: string, exceptUserId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.clinicId, clinicId), eq(users.role, "admin"), isNull(users.disabledAt), ne(users.id, exceptUserId)));
  return row?.n ?? 0;
}

const LAST_ADMIN = "The clinic must keep at least one active admin. Make someone else an admin first.";

/** Rule C5: a role change applies on the member's next request; rule N6: it ends their sessions, so they sign in to their new role. */
export async function setMemberRole(ctx: ServiceContext, input: SetRoleInput) {
  return withTransaction(ctx, async (txCtx) => {
    const { db: tx, actor, clinicId } = txCtx;
    const { target } = await lockTeam(txCtx, input);
    if (target.role === input.role) return { id: target.id, role: input.role };
    if (input.role !== "admin") {
      if (target.id === actor.id) throw new DomainError("invalid", "You can't remove your own admin role. Ask another admin.");
      if (!target.disabledAt && (await otherActiveAdmins(tx, clinicId, target.id)) === 0) throw new DomainError("precondition", LAST_ADMIN);
    }
    await tx.update(users).set({ role: input.role }).where(eq(users.id, target.id));
    // Issue 19: a confirmed address made admin confirms the clinic.
    if (input.role === "admin") await releaseHeld(tx, clinicId);
    await endSessionsOf(tx, { userId: target.id });
    await auditBy(tx, actor, {
      clinicId,
      action: "team.role_change",
      targetType: "user",
      targetId: target.id,
      reason: input.reason,
      before: { role: target.role },
      after: { role: input.role },
    });
    return { id: target.id, role: input.role };
  });
}

/** Rule C5: a disabled member is refused on their very next call and at sign-in; rule N6: their sessions end with it. */
export async function setMemberDisabled(ctx: ServiceContext, input: SetDisabledInput) {
  return withTransaction(ctx, async (txCtx) => {
    const { db: tx, actor, clinicId } = txCtx;
    const { target } = await lockTeam(txCtx, input);
    if (!!target.disabledAt === input.disabled) return { id: target.id, disabled: input.disabled };
    if (input.disabled) {
      if (target.id === actor.id) throw new DomainError("invalid", "You can't disable your own account. Ask another admin.");
      if (target.role === "admin" && (await otherActiveAdmins(tx, clinicId, target.id)) === 0) throw new DomainError("precondition", LAST_ADMIN);
    }
    const disabledAt = input.disabled ? new Date() : null;
    await tx.update(users).set({ disabledAt }).where(eq(users.id, target.id));
    if (input.disabled) await endSessionsOf(tx, { userId: target.id });
    else if (target.role === "admin") await releaseHeld(tx, clinicId);
    await auditBy(tx, actor, {
      clinicId,
      action: input.disabled ? "team.disable" : "team.enable",
      targetType: "user",
      targetId: target.id,
      reason: input.reason,
      before: { disabled: !input.disabled },
      after: { disabled: input.disabled },
    });
    return { id: target.id, disabled: input.disabled };
  });
}
