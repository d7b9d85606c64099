import { isStale } from "./stale";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { clinics, outboxMessages } from "@/db/schema";
import { env } from "@/server/env";
import { type MessageChannels, PermanentRecipientError } from "./channels";
import { consentBlock, suppress, unsubscribeToken } from "./consent";
import { unsubscribable } from "./kinds";
import { UNSUBSCRIBE_PLACEHOLDER } from "./render";
import { openSlackWebhook } from "./settings";
import { LINK_PLACEHOLDER, openLink } from "./store";

type Row = typeof outboxMessages.$inferSelect;

const base = () => env.APP_URL.replace(/\/$/, "");

/** The recipient's own links, put back only here, at the moment of sending. */
function fill(text: string, row: Row, unsubscribeUrl: string | null): string {
  let out = row.sealedLink ? text.replaceAll(LINK_PLACEHOLDER, openLink(row.sealedLink)) : text;
  if (unsubscribeUrl) out = out.replaceAll(UNSUBSCRIBE_PLACEHOLDER, unsubscribeUrl);
  return out;
}

const settle = (db: Db, id: string, set: Partial<typeof outboxMessages.$inferInsert>) =>
  db
    .update(outboxMessages)
    .set({ ...set, attempts: sql`${outboxMessages.attempts} + 1` })
    .where(and(eq(outboxMessages.id, id), eq(outboxMessages.status, "pending")));

/**
 * Rules A2, A3, N7: sends one stored message. Safe to run twice: a message leaves only while it
 * is pending, and consent is read again now, so an unsubscribe or STOP since it was written wins.
 * A failure throws, and the queue retries with backoff; a permanent refusal suppresses the
 * address for the clinic. Without a configured channel the message is kept as "logged": the
 * log shows it as it would have been sent. A worker killed between the send and the update
 * sends it again on retry (at most the messages in flight).
 */
export async function deliverMessage(db: Db, channels: MessageChannels, messageId: string, options: { lastAttempt: boolean }): Promise<void> {
  const [row] = await db.select().from(outboxMessages).where(eq(outboxMessages.id, messageId));
  if (!row || row.status !== "pending") return;
  if (isStale(row.sendAfter ?? row.createdAt)) {
    await settle(db, row.id, { status: "expired", lastError: "still unsent three days after it was due" });
    return;
  }
  const block = await consentBlock(db, { clinicId: row.clinicId, kind: row.kind, messageClass: row.messageClass, channel: row.channel, to: row.to, recipientId: row.recipientId });
  if (block) {
    await settle(db, row.id, { status: "suppressed", lastError: block });
    return;
  }
  try {
    const sent = await send(db, channels, row);
    await settle(db, row.id, sent ? { status: "sent", sentAt: new Date(), lastError: null } : { status: "logged", lastError: "no channel configured" });
  } catch (error) {
    if (error instanceof PermanentRecipientError) {
      await suppress(db, { clinicId: row.clinicId, address: row.to, kind: "*", reason: "bounce" });
      await settle(db, row.id, { status: "bounced", lastError: error.message });
      return;
    }
    const code = (error as { code?: unknown; responseCode?: unknown }).responseCode ?? (error as { code?: unknown }).code;
    await db
      .update(outboxMessages)
      .set({ attempts: sql`${outboxMessages.attempts} + 1`, lastError: `${(error as Error).name ?? "Error"}${code ? ` ${String(code).slice(0, 40)}` : ""}`, ...(options.lastAttempt ? { status: "failed" as const } : {}) })
      .where(and(eq(outboxMessages.id, row.id), eq(outboxMessages.status, "pending")));
    throw error;
  }
}

/** True when it left through a channel, false when that channel is not configured. */
async function send(db: Db, channels: MessageChannels, row: Row): Promise<boolean> {
  switch (row.channel) {
    case "email": {
      if (!channels.email) return false;
      const headers: Record<string, string> = {};
      let unsubscribeUrl: string | null = null;
      if (unsubscribable(row.messageClass)) {
        // Rule A2 (RFC 8058): one-click unsubscribe by POST, and the same link in the body.
        const token = unsubscribeToken({ clinicId: row.clinicId, kind: row.kind, address: row.to });
        unsubscribeUrl = `${base()}/unsubscribe/${token}`;
        headers["List-Unsubscribe"] = `<${base()}/api/unsubscribe/${token}>`;
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
      }
      await channels.email.send({ to: row.to, subject: row.subject, text: fill(row.body, row, unsubscribeUrl), html: row.html ? fill(row.html, row, unsubscribeUrl) : null, headers });
      return true;
    }
    case "sms": {
      if (!channels.sms) return false;
      await channels.sms.send({ to: row.to, body: fill(row.body, row, null) });
      return true;
    }
    case "slack": {
      if (!row.clinicId) return false;
      const [clinic] = await db.select({ webhook: clinics.slackWebhookSealed }).from(clinics).where(eq(clinics.id, row.clinicId));
      if (!clinic?.webhook) return false;
      await channels.slack.send(openSlackWebhook(clinic.webhook), row.body);
      return true;
    }
  }
}
