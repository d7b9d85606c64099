import { and, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { messageSuppressions, users, type MESSAGE_CHANNELS } from "@/db/schema";
import { DomainError } from "@/server/kernel/errors";
import { smsAddress } from "@/server/kernel/contact";
import { seal, unseal, type SealPurpose } from "@/server/kernel/sealed";
import { type MessageClass, unsubscribable } from "./kinds";

type Channel = (typeof MESSAGE_CHANNELS)[number];


export type Block = "unsubscribed" | "bounced" | "sms_stopped" | "no_sms_consent" | "no_marketing_consent";

const clinicIs = (clinicId: string | null) => (clinicId ? eq(messageSuppressions.clinicId, clinicId) : isNull(messageSuppressions.clinicId));

/**
 * Rules A2, N7: whether a message may go. Checked when it is written and again just before it
 * is sent, so an unsubscribe or a STOP is honoured at once, even for messages already queued.
 * Account and transactional messages always go, except to an address that hard-bounced.
 */
export async function consentBlock(
  db: Db,
  m: { clinicId: string | null; kind: string; messageClass: MessageClass; channel: Channel; to: string; recipientId: string | null },
): Promise<Block | null> {
  const kinds = unsubscribable(m.messageClass) ? ["*", m.kind] : ["*"];
  const found = await db
    .select({ reason: messageSuppressions.reason })
    .from(messageSuppressions)
    .where(and(clinicIs(m.clinicId), eq(messageSuppressions.address, m.to), inArray(messageSuppressions.kind, kinds)));
  if (found.some((f) => f.reason === "bounce")) return "bounced";
  if (found.some((f) => f.reason === "sms_stop")) return "sms_stopped";
  if (found.length) return "unsubscribed";
  if (m.channel !== "sms" && m.messageClass !== "marketing") return null;
  const [person] = m.recipientId
    ? await db.select({ sms: users.smsOptInAt, marketing: users.marketingOptInAt }).from(users).where(eq(users.id, m.recipientId))
    : [];
  // Rule N7: imported or staff-entered numbers carry no consent; only the patient's own tick does.
  if (m.channel === "sms" && !person?.sms) return "no_sms_consent";
  if (m.messageClass === "marketing" && !person?.marketing) return "no_marketing_consent";
  return null;
}

const UNSUBSCRIBE: SealPurpose = { salt: "unsubscribe", info: "unsubscribe-link-v1" };
const tokenSchema = z.object({ c: z.uuid().nullable(), k: z.string().max(60), a: z.string().max(320) });
export type Unsubscribe = { clinicId: string | null; kind: string; address: string };

/** Sealed, so the link shows no address (nothing personal in a URL, rule N3) and cannot be forged. */
export function unsubscribeToken(u: Unsubscribe): string {
  return seal(UNSUBSCRIBE, JSON.stringify({ c: u.clinicId, k: u.kind, a: u.address }));
}

export function readUnsubscribeToken(token: string): Unsubscribe | null {
  try {
    const parsed = tokenSchema.safeParse(JSON.parse(unseal(UNSUBSCRIBE, token)));
    return parsed.success ? { clinicId: parsed.data.c, kind: parsed.data.k, address: parsed.data.a } : null;
  } catch {
    return null;
  }
}

/** Rule A2: one click, per clinic and kind, in force for the next message already. Safe to repeat. */
export async function unsubscribe(db: Db, token: string): Promise<Pick<Unsubscribe, "kind"> | null> {
  const u = readUnsubscribeToken(token);
  if (!u) return null;
  await suppress(db, { clinicId: u.clinicId, address: u.address, kind: u.kind, reason: "unsubscribe" });
  return { kind: u.kind };
}

export async function suppress(db: Db, s: { clinicId: string | null; address: string; kind: string; reason: "unsubscribe" | "bounce" | "sms_stop" }) {
  await db.insert(messageSuppressions).values(s).onConflictDoNothing();
}

/** Rule N7: START after a STOP lifts the SMS stop (the opt-in itself stays as the patient gave it). */
export async function liftSmsStop(db: Db, s: { clinicId: string | null; address: string }) {
  await db.delete(messageSuppressions).where(and(clinicIs(s.clinicId), eq(messageSuppressions.address, s.address), eq(messageSuppressions.reason, "sms_stop")));
}

/** The zone a clinic's quiet hours are read in; points at clinics.time_zone once the scheduler's column lands. */
export function clinicTimeZone(clinic: { timeZone?: string | null }): string {
  return clinic.timeZone ?? "America/New_York";
}

function localHour(now: Date, timeZone: string): { hour: number; minute: number } {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", minute: "numeric", hourCycle: "h23" }).formatToParts(now);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return { hour: get("hour"), minute: get("minute") };
}

/**
 * Rule N7: an SMS written in the clinic's quiet hours (default 8 pm to 8 am local) waits until
 * they end: delayed, never dropped. Returns null when it may go now.
 */
export function quietHoursEnd(now: Date, quiet: { start: number; end: number; timeZone: string }): Date | null {
  const { hour, minute } = localHour(now, quiet.timeZone);
  const inQuiet = quiet.start > quiet.end ? hour >= quiet.start || hour < quiet.end : hour >= quiet.start && hour < quiet.end;
  if (!inQuiet) return null;
  const hoursLeft = (quiet.end - hour + 24) % 24;
  // Whole minutes to the end hour; a daylight-saving change inside the night moves it by an hour at most.
  return new Date(now.getTime() + (hoursLeft * 60 - minute) * 60_000 - now.getUTCSeconds() * 1000 - now.getUTCMilliseconds());
}

/** A patient's own message choices, as the portal shows them. */
export async function patientConsent(db: Db, userId: string) {
  const [row] = await db.select({ phone: users.phoneNormalized, sms: users.smsOptInAt, marketing: users.marketingOptInAt }).from(users).where(eq(users.id, userId));
  return { hasPhone: !!row?.phone, sms: !!row?.sms, marketing: !!row?.marketing };
}

/**
 * Rules A2, N7: the patient changes their own opt-ins; an SMS opt-in records the time and the
 * words shown, and needs a number on the account. Turning SMS on again lifts an earlier STOP.
 */
export async function setPatientConsent(db: Db, input: { userId: string; clinicId: string; sms: boolean; marketing: boolean; wording: string }) {
  return db.transaction(async (tx) => {
    const [row] = await tx.select({ phone: users.phoneNormalized, sms: users.smsOptInAt, marketing: users.marketingOptInAt }).from(users).where(eq(users.id, input.userId));
    if (!row) throw new Error("patient not found");
    if (input.sms && !row.phone) throw new DomainError("invalid", "Add a mobile number to your account before turning on texts.", "sms");
    const now = new Date();
    await tx
      .update(users)
      .set({
        smsOptInAt: input.sms ? (row.sms ?? now) : null,
        smsOptInWording: input.sms ? input.wording : null,
        marketingOptInAt: input.marketing ? (row.marketing ?? now) : null,
      })
      .where(eq(users.id, input.userId));
    const address = smsAddress(row.phone);
    if (input.sms && !row.sms && address) await liftSmsStop(tx, { clinicId: input.clinicId, address });
    return patientConsent(tx, input.userId);
  });
}
