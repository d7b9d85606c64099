import { isStale } from "./stale";
import { and, eq, sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { clinicSendingDays, clinics, outboxMessages } from "@/db/schema";
import { enqueue } from "@/server/queue/boss";
import { env } from "@/server/env";
import { type MessageChannels, PermanentRecipientError } from "./channels";
import { clinicTimeZone, consentBlock, quietHoursEnd, suppress, unsubscribeToken } from "./consent";
import { toOthers } from "./gate";
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
 * Quiet hours are read again at every attempt too, so a retry or a backlog never texts at night,
 * and a new clinic's daily budget is counted here (issue 19); either moves the message, its due
 * time and its job to when it may go. A failure throws, and the queue retries with backoff; a
 * permanent refusal suppresses the address for the clinic. Without a configured channel the
 * message is kept as "logged": the log shows it as it would have been sent. A worker killed
 * between the send and the update sends it again on retry (at most the messages in flight).
 */
export async function deliverMessage(db: Db, channels: MessageChannels, messageId: string, options: { lastAttempt: boolean; now?: Date }): Promise<void> {
  const now = options.now ?? new Date();
  const [row] = await db.select().from(outboxMessages).where(eq(outboxMessages.id, messageId));
  if (!row || row.status !== "pending") return;
  if (isStale(row.sendAfter ?? row.createdAt, now)) {
    await settle(db, row.id, { status: "expired", lastError: "still unsent three days after it was due" });
    return;
  }
  // Moved later by an earlier attempt, whose job for the new time is queued already.
  if (row.sendAfter && row.sendAfter.getTime() > now.getTime() + EARLY_MS) return;
  const block = await consentBlock(db, { clinicId: row.clinicId, kind: row.kind, messageClass: row.messageClass, channel: row.channel, to: row.to, recipientId: row.recipientId });
  if (block) {
    await settle(db, row.id, { status: "suppressed", lastError: block });
    return;
  }
  const clinic = row.clinicId ? await sendingRules(db, row.clinicId) : undefined;
  if (clinic && row.channel === "sms") {
    // Rule N7: however late the attempt (a retry, a backlog, a reminder due at night), no text in quiet hours.
    const quietEnd = quietHoursEnd(now, { start: clinic.quietHoursStart, end: clinic.quietHoursEnd, timeZone: clinicTimeZone(clinic) });
    if (quietEnd) return postpone(db, row, quietEnd, "waiting for the clinic's quiet hours to end");
  }
  const budgetDay = clinic && toOthers(row) ? budgetDayOf(clinic, now) : null;
  if (clinic && budgetDay) {
    const nextDay = await takeBudget(db, row.clinicId ?? "", clinic, budgetDay, now);
    if (nextDay) return postpone(db, row, nextDay, "the clinic's daily sending budget is used up; waiting for its next day");
  }
  try {
    const sent = await send(db, channels, row);
    await settle(db, row.id, sent ? { status: "sent", sentAt: now, lastError: null } : { status: "logged", lastError: "no channel configured" });
  } catch (error) {
    if (error instanceof PermanentRecipientError) {
      await suppress(db, { clinicId: row.clinicId, address: row.to, kind: "*", reason: "bounce" });
      await settle(db, row.id, { status: "bounced", lastError: error.message });
      return;
    }
    // A failed attempt gives its place back: the retry takes one again.
    if (budgetDay) await giveBackBudget(db, row.clinicId ?? "", budgetDay);
    const code = (error as { code?: unknown; responseCode?: unknown }).responseCode ?? (error as { code?: unknown }).code;
    await db
      .update(outboxMessages)
      .set({ attempts: sql`${outboxMessages.attempts} + 1`, lastError: `${(error as Error).name ?? "Error"}${code ? ` ${String(code).slice(0, 40)}` : ""}`, ...(options.lastAttempt ? { status: "failed" as const } : {}) })
      .where(and(eq(outboxMessages.id, row.id), eq(outboxMessages.status, "pending")));
    throw error;
  }
}

/** A job may start a moment before the due time it was queued for (two clocks). */
const EARLY_MS = 5_000;
const BUDGET_DAYS_MS = 30 * 24 * 3600_000;

type SendingRules = { quietHoursStart: number; quietHoursEnd: number; timeZone: string; selfSignedUpAt: Date | null; sendingBudgetPerDay: number };

async function sendingRules(db: Db, clinicId: string): Promise<SendingRules | undefined> {
  const [clinic] = await db
    .select({ quietHoursStart: clinics.quietHoursStart, quietHoursEnd: clinics.quietHoursEnd, timeZone: clinics.timeZone, selfSignedUpAt: clinics.selfSignedUpAt, sendingBudgetPerDay: clinics.sendingBudgetPerDay })
    .from(clinics)
    .where(eq(clinics.id, clinicId));
  return clinic;
}

/** Issue 19: the clinic's local day, while a self-signed-up clinic is in its first 30 days; null when no budget applies. */
function budgetDayOf(clinic: SendingRules, now: Date): string | null {
  if (!clinic.selfSignedUpAt || now.getTime() - clinic.selfSignedUpAt.getTime() >= BUDGET_DAYS_MS) return null;
  return new Intl.DateTimeFormat("en-CA", { timeZone: clinicTimeZone(clinic), year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/**
 * Issue 19: one place in the day's budget, taken by one conditional upsert, so instances racing
 * for the last place get it once. Null when taken; otherwise the start of the clinic's next day.
 */
async function takeBudget(db: Db, clinicId: string, clinic: SendingRules, day: string, now: Date): Promise<Date | null> {
  const taken = await queryRows<{ sent: number }>(
    db,
    sql`insert into ${clinicSendingDays} (clinic_id, day, sent)
        select ${clinicId}::uuid, ${day}::date, 1 where ${clinic.sendingBudgetPerDay}::int > 0
        on conflict (clinic_id, day) do update set sent = ${clinicSendingDays.sent} + 1
        where ${clinicSendingDays.sent} < ${clinic.sendingBudgetPerDay}::int
        returning sent`,
  );
  if (taken.length) return null;
  const [next] = await queryRows<{ at: Date | string }>(db, sql`select ((${day}::date + 1)::timestamp at time zone ${clinicTimeZone(clinic)}) as at`);
  return next ? new Date(next.at) : new Date(now.getTime() + 24 * 3600_000);
}

async function giveBackBudget(db: Db, clinicId: string, day: string) {
  await db
    .update(clinicSendingDays)
    .set({ sent: sql`greatest(${clinicSendingDays.sent} - 1, 0)` })
    .where(and(eq(clinicSendingDays.clinicId, clinicId), eq(clinicSendingDays.day, day)));
}

/**
 * Moves a pending message's due time, and so its staleness (stale.ts), to `until`, and queues
 * its job for then, in one transaction. This attempt ends without counting as one.
 */
async function postpone(db: Db, row: Row, until: Date, reason: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [moved] = await tx
      .update(outboxMessages)
      .set({ sendAfter: until, lastError: reason })
      .where(and(eq(outboxMessages.id, row.id), eq(outboxMessages.status, "pending")))
      .returning({ id: outboxMessages.id });
    if (moved) await enqueue(tx, "messages.send", { clinicId: row.clinicId, messageId: row.id }, { singletonKey: row.id, startAfter: until });
  });
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
