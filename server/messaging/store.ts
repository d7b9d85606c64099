import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { outboxMessages, type MESSAGE_CHANNELS } from "@/db/schema";
import { enqueue } from "@/server/queue/boss";
import { seal, unseal, type SealPurpose } from "@/server/kernel/sealed";
import { consentBlock } from "./consent";
import { mustHold, toOthers } from "./gate";
import { classOf } from "./kinds";
import { UNSUBSCRIBE_PLACEHOLDER } from "./render";

/** Where a message's private link goes in its body and HTML; the link itself is stored sealed. */
export const LINK_PLACEHOLDER = "{{private_link}}";
const HIDDEN_LINK = "[private link, visible only to the recipient]";
const HIDDEN_UNSUBSCRIBE = "[unsubscribe link, visible only to the recipient]";
// Rows written before links were sealed still hold them in the body; they are never shown either.
const RAW_PRIVATE_LINK = /\S*\/(partners\/status|verify|reset|invite|unsubscribe)\/[\w.-]{20,}/g;

/** Why a held message waits, as the message log shows it. */
export const HELD_REASON = "waiting for an admin to confirm their email address";

// The same key as the partner outbox had, so links already queued still open.
const PRIVATE_LINK: SealPurpose = { salt: "outbox", info: "outbox-private-link-v1" };
export const sealLink = (link: string): string => seal(PRIVATE_LINK, link);
export const openLink = (sealed: string): string => unseal(PRIVATE_LINK, sealed);

export type NewMessage = {
  clinicId: string | null;
  kind: string;
  channel?: (typeof MESSAGE_CHANNELS)[number];
  to: string;
  recipientId?: string | null;
  subject: string;
  /** The text part (or the SMS, or the Slack text); a private link only as LINK_PLACEHOLDER. */
  body: string;
  html?: string | null;
  privateLink?: string;
  referralId?: string | null;
  referrerId?: string | null;
  /** The event that set it off: written once per event, kind, channel and address. */
  eventId?: string | null;
  /** Rule N7: quiet hours; or a reminder due later (the share reminder). */
  sendAfter?: Date | null;
  /** Issue 19: a platform admin asked for it (a new clinic's first invitation), so it is never held. */
  platformAsked?: boolean;
};

/**
 * Rule A3: the message is kept and its delivery job enqueued in the caller's transaction, so a
 * message exists exactly when its cause does, and sending never holds up or fails the request:
 * the job works it after commit, with retries and backoff. A message consent forbids (A2, N7)
 * is kept as suppressed, so the log shows why nothing went; one to others from a clinic with no
 * confirmed admin is kept as held, without a job, until an admin confirms (issue 19). Returns
 * the message id, or null when this event already wrote it.
 */
export async function queueMessage(tx: Db, message: NewMessage): Promise<string | null> {
  const { privateLink, platformAsked, ...row } = message;
  if (privateLink && !row.body.includes(LINK_PLACEHOLDER)) throw new Error("a message with a private link must place it with LINK_PLACEHOLDER");
  const messageClass = classOf(row.kind);
  const channel = row.channel ?? "email";
  const block = await consentBlock(tx, { clinicId: row.clinicId, kind: row.kind, messageClass, channel, to: row.to, recipientId: row.recipientId ?? null });
  const held = !block && !platformAsked && !!row.clinicId && toOthers({ clinicId: row.clinicId, kind: row.kind, channel, messageClass }) && (await mustHold(tx, row.clinicId));
  const [stored] = await tx
    .insert(outboxMessages)
    .values({
      ...row,
      channel,
      messageClass,
      sealedLink: privateLink ? sealLink(privateLink) : null,
      status: block ? "suppressed" : held ? "held" : "pending",
      lastError: block ?? (held ? HELD_REASON : null),
    })
    .onConflictDoNothing()
    .returning({ id: outboxMessages.id });
  if (!stored) return null;
  if (!block && !held) await enqueue(tx, "messages.send", { clinicId: row.clinicId, messageId: stored.id }, { singletonKey: stored.id, startAfter: row.sendAfter ?? undefined });
  return stored.id;
}

/** The text as the recipient gets it, private link included: for the sender only. */
export function deliverableBody(row: { body: string; sealedLink: string | null }): string {
  return row.sealedLink ? row.body.replaceAll(LINK_PLACEHOLDER, openLink(row.sealedLink)) : row.body;
}

/** What staff and platform admins may read: no reset, verification, invitation, status or unsubscribe link. */
export const redacted = (text: string) => text.replaceAll(LINK_PLACEHOLDER, HIDDEN_LINK).replaceAll(UNSUBSCRIBE_PLACEHOLDER, HIDDEN_UNSUBSCRIBE).replace(RAW_PRIVATE_LINK, HIDDEN_LINK);

/**
 * The message log of a clinic (clinicId) or of the platform (null), newest first: what was
 * sent or would have been sent, with every private link hidden. Rule N1: one clinic's alone.
 */
export async function messageLog(db: Db, input: { clinicId: string | null; limit: number; before?: string | null }) {
  const scope = input.clinicId ? eq(outboxMessages.clinicId, input.clinicId) : isNull(outboxMessages.clinicId);
  // Keyset paging by the last message shown, compared in the database at its full precision
  // (a JavaScript Date would round the microseconds away and skip messages of the same instant).
  const before = input.before
    ? sql`(${outboxMessages.createdAt}, ${outboxMessages.id}) < (select m.created_at, m.id from outbox_messages m where m.id = ${input.before} and ${input.clinicId ? sql`m.clinic_id = ${input.clinicId}` : sql`m.clinic_id is null`})`
    : undefined;
  const rows = await db
    .select({
      id: outboxMessages.id,
      kind: outboxMessages.kind,
      channel: outboxMessages.channel,
      to: outboxMessages.to,
      subject: outboxMessages.subject,
      body: outboxMessages.body,
      status: outboxMessages.status,
      reason: outboxMessages.lastError,
      attempts: outboxMessages.attempts,
      sendAfter: outboxMessages.sendAfter,
      sentAt: outboxMessages.sentAt,
      createdAt: outboxMessages.createdAt,
    })
    .from(outboxMessages)
    .where(and(scope, before))
    .orderBy(desc(outboxMessages.createdAt), desc(outboxMessages.id))
    .limit(input.limit);
  return rows.map((row) => ({ ...row, subject: redacted(row.subject), body: redacted(row.body) }));
}
