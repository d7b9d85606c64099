import { and, eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { clinics, outboxMessages, users, type MESSAGE_CHANNELS } from "@/db/schema";
import { enqueueMany } from "@/server/queue/boss";
import type { MessageClass } from "./kinds";

/** Issue 13: whether the clinic has an active admin whose address was proven by an emailed link. */
export async function hasVerifiedAdmin(db: Db, clinicId: string): Promise<boolean> {
  const [admin] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.clinicId, clinicId), eq(users.role, "admin"), isNotNull(users.emailVerifiedAt), isNull(users.disabledAt)))
    .limit(1);
  return !!admin;
}

/** Account messages to the person who asked for them: the link they asked for, their own password news, a test to themselves. */
const ASKED_FOR = new Set(["account.verify_email", "account.password_reset", "account.password_changed", "test"]);

/**
 * Issue 19: whether a clinic's message goes to someone outside the clinic's own people. Those
 * wait while the clinic has no confirmed admin, and count against a new clinic's daily budget.
 * The platform's own messages, the clinic's Slack channel, its team's alerts and the account
 * messages a person asked for are not.
 */
export function toOthers(m: { clinicId: string | null; kind: string; channel: (typeof MESSAGE_CHANNELS)[number]; messageClass: MessageClass }): boolean {
  if (!m.clinicId || m.channel === "slack" || m.messageClass === "staff") return false;
  return !ASKED_FOR.has(m.kind);
}

/**
 * Issue 19: a clinic without an admin whose address an emailed link confirmed sends nothing to
 * others. An unconfirmed clinic's row is locked (FOR SHARE) before it is read again, so a
 * confirmation committing meanwhile either is seen here or waits for this message and releases it.
 */
export async function mustHold(tx: Db, clinicId: string): Promise<boolean> {
  if (await hasVerifiedAdmin(tx, clinicId)) return false;
  await tx.select({ id: clinics.id }).from(clinics).where(eq(clinics.id, clinicId)).for("share");
  return !(await hasVerifiedAdmin(tx, clinicId));
}

/**
 * Issue 19: once a clinic has a confirmed admin, what it held goes, in the confirming
 * transaction. Each held message is due from now, so the staleness rule counts from its release.
 */
export async function releaseHeld(tx: Db, clinicId: string, now = new Date()): Promise<number> {
  await tx.select({ id: clinics.id }).from(clinics).where(eq(clinics.id, clinicId)).for("no key update");
  if (!(await hasVerifiedAdmin(tx, clinicId))) return 0;
  const released = await tx
    .update(outboxMessages)
    .set({ status: "pending", lastError: null, sendAfter: sql`greatest(${outboxMessages.sendAfter}, ${now.toISOString()}::timestamptz)` })
    .where(and(eq(outboxMessages.clinicId, clinicId), eq(outboxMessages.status, "held")))
    .returning({ id: outboxMessages.id, sendAfter: outboxMessages.sendAfter });
  await enqueueMany(
    tx,
    "messages.send",
    released.map((m) => ({ data: { clinicId, messageId: m.id }, singletonKey: m.id, startAfter: m.sendAfter ?? now })),
  );
  return released.length;
}
