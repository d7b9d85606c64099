import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { ServiceContext } from "@/server/kernel/context";
import { auditLog, users } from "@/db/schema";
import type { z } from "zod";
import type { ActorKind } from "@/server/events/actor";
import type { AuditFilter } from "@/server/schemas/filters";
import { auditWhere } from "./filters";
import { decodeCursor, encodeCursor, olderThan, positionAt } from "@/server/kernel/keyset";

type Json = z.infer<ReturnType<typeof z.json>>;

/** Rule C4: one page of the clinic's audit log, newest first, by keyset (created_at, id). */
export async function auditPage(ctx: ServiceContext, input: { filter?: AuditFilter; cursor?: string; limit: number }) {
  const after = input.cursor ? decodeCursor(input.cursor) : null;
  const rows = await auditRows(ctx, { filter: input.filter, after, limit: input.limit + 1 });
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    // A jsonb column can only hold JSON; the type says so, for the procedure's output schema.
    rows: page.map(({ position: _position, before, after: changed, ...row }) => ({ ...row, before: before as Json | null, after: changed as Json | null })),
    nextCursor: rows.length > input.limit && last ? encodeCursor({ at: last.position, id: last.id }) : null,
  };
}

/**
 * Rule C4: how the log names who acted: a person by name, a job, an inbound event or an API key
 * by what identifies it (`actor_label`, written by auditBy).
 */
export function actorName(kind: ActorKind, label: string | null, user: { firstName: string; lastName: string } | null): string {
  if (user) return `${user.firstName} ${user.lastName}`;
  switch (kind) {
    case "system":
      return `Scheduled job: ${label ?? "unknown"}`;
    case "webhook": {
      const [provider = "", ...rest] = (label ?? "").split(":");
      return `${provider.charAt(0).toUpperCase()}${provider.slice(1)} event ${rest.join(":")}`.trim();
    }
    case "apiKey":
      return `API key ${label ?? ""}`.trim();
    default:
      return "A former account";
  }
}

export async function auditRows(ctx: ServiceContext, input: { filter?: AuditFilter; after: { at: string; id: string } | null; limit: number }) {
  const rows = await ctx.db
    .select({
      id: auditLog.id,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      reason: auditLog.reason,
      before: auditLog.before,
      after: auditLog.after,
      createdAt: auditLog.createdAt,
      position: positionAt(auditLog.createdAt),
      actorKind: auditLog.actorKind,
      actorLabel: auditLog.actorLabel,
      user: { id: users.id, firstName: users.firstName, lastName: users.lastName, email: users.email },
    })
    .from(auditLog)
    // Left: a job, an inbound event or an API key is no user (rule C4 records every kind).
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(auditWhere(ctx.clinicId, input.filter), input.after ? olderThan(auditLog.createdAt, auditLog.id, input.after) : undefined))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(input.limit);
  return rows.map(({ actorKind, actorLabel, user, ...row }) => ({ ...row, actor: { kind: actorKind, name: actorName(actorKind, actorLabel, user), user } }));
}

/** The choices of the audit filter: actions that occur at this clinic, and its team. */
export async function auditFilterOptions(ctx: ServiceContext) {
  const { db, clinicId } = ctx;
  const [actions, staff] = await Promise.all([
    db.selectDistinct({ action: auditLog.action }).from(auditLog).where(eq(auditLog.clinicId, clinicId)).orderBy(asc(auditLog.action)),
    db
      .select({ id: users.id, firstName: users.firstName, lastName: users.lastName })
      .from(users)
      .where(and(eq(users.clinicId, clinicId), inArray(users.role, ["staff", "admin"])))
      .orderBy(asc(users.firstName), asc(users.lastName)),
  ]);
  return { actions: actions.map((a) => a.action), staff };
}
