import type { Db } from "@/db/client";
import { auditLog } from "@/db/schema";
import { type Actor, actorLabel, actorUserId } from "@/server/events/actor";

export type AuditEntry = typeof auditLog.$inferInsert;

/**
 * Rule C4: the audit entry of an action by any kind of actor (a person, a job, an inbound event,
 * an API key). Always called with the transaction that makes the change, so an action and its
 * record commit or fail together.
 *
 * The log is append-only: its trigger (audit_log_append_only) refuses every update and delete,
 * with one exception (issue 19, migration 0024): a patient's erasure (rule N3, erasure-notes.ts),
 * inside a transaction that ran `select set_config('app.erasure', 'on', true)`, may replace a
 * reason by '[erased]' and redact before/after. Who acted, what, on what and when never change.
 */
export async function auditBy(tx: Db, actor: Actor, entry: Omit<AuditEntry, "actorId" | "actorKind" | "actorLabel">): Promise<void> {
  await tx.insert(auditLog).values({ ...entry, actorKind: actor.kind, actorId: actorUserId(actor), actorLabel: actorLabel(actor) });
}
