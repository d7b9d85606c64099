import { isStale } from "@/server/messaging/stale";
import { and, count, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { b2bPayoutItems, b2bReferrals, clinics, domainEvents, orders, outboxMessages, partnerReferrers, users } from "@/db/schema";
import { domainEventSchema, type EventData } from "@/server/events/catalog";
import { formatCents, formatReward } from "@/server/schemas/money";
import { appUrl } from "@/server/kernel/app-url";
import { statusPath } from "@/server/services/partners/tokens";
import { issueStatusToken } from "@/server/services/partners/tokens";
import { activeCode } from "@/server/services/referrals/codes";
import { smsAddress } from "@/server/kernel/contact";
import { withTransaction, type PlatformContext, type ServiceContext } from "@/server/kernel/context";
import { getProgram } from "@/server/services/programs/programs";
import { escapeSlack } from "@/server/services/integrations/webhooks/payload";
import { acceptedTermsVersion } from "@/server/services/referrals/terms";
import { clinicTimeZone, quietHoursEnd } from "@/server/messaging/consent";
import { MESSAGE_KINDS, type StaffNotificationKind, type TemplatedKind } from "@/server/messaging/kinds";
import { renderEmail, renderSms, renderSubject } from "@/server/messaging/render";
import { staffChoices, templateOf } from "@/server/messaging/settings";
import { LINK_PLACEHOLDER, queueMessage } from "@/server/messaging/store";

type Person = { id: string; email: string; phoneNormalized: string | null; firstName: string };
type Clinic = { id: string; name: string; slug: string; quietHoursStart: number; quietHoursEnd: number; timeZone: string; brandColor: string | null };

const signInUrl = (slug: string) => appUrl(`/signin/${slug}`);

async function clinicOf(db: Db, clinicId: string): Promise<Clinic | undefined> {
  const [row] = await db
    .select({ id: clinics.id, name: clinics.name, slug: clinics.slug, quietHoursStart: clinics.quietHoursStart, quietHoursEnd: clinics.quietHoursEnd, timeZone: clinics.timeZone, brandColor: clinics.brandColor })
    .from(clinics)
    .where(eq(clinics.id, clinicId));
  return row;
}

async function personOf(db: Db, id: string): Promise<Person | undefined> {
  const [row] = await db.select({ id: users.id, email: users.email, phoneNormalized: users.phoneNormalized, firstName: users.firstName, disabledAt: users.disabledAt }).from(users).where(eq(users.id, id));
  return row && !row.disabledAt ? row : undefined;
}

/**
 * Rule P14: a patient's referral link goes into a message only once they accepted the terms in
 * force now; before that, the message points to the portal, where they accept them.
 */
async function shareVars(db: Db, clinic: Clinic, patientId: string): Promise<{ share_text: string; share_link: string }> {
  const [accepted, program, code] = await Promise.all([acceptedTermsVersion({ db }, { patientId }), getProgram({ db, clinicId: clinic.id }).catch(() => null), activeCode({ db }, { patientId })]);
  if (program && code && accepted !== null && accepted >= program.version.termsVersion) {
    return { share_text: "Share your referral link with friends:", share_link: appUrl(`/r/${code.code}`) };
  }
  return { share_text: "Find your referral link in your patient portal:", share_link: signInUrl(clinic.slug) };
}

export type TemplatedMessage = {
  kind: TemplatedKind;
  clinic: Clinic;
  to: Person;
  vars: Record<string, string>;
  eventId?: string | null;
  privateLink?: string;
  sms?: boolean;
  sendAfter?: Date | null;
  now?: Date;
};

/**
 * Rule A2: a message from the catalog, in the clinic's words (rule C3), as email and, when the
 * kind has an SMS and the patient has a number, as SMS too. Consent is decided by the store
 * (and again at sending); an SMS due in quiet hours waits until they end (rule N7), and delivery
 * checks them again at every attempt (deliver.ts).
 */
export async function sendTemplated(ctx: ServiceContext, m: TemplatedMessage): Promise<void> {
  const tx = ctx.db;
  const spec = MESSAGE_KINDS[m.kind];
  const template = await templateOf(tx, m.clinic.id, m.kind);
  const vars = { first_name: m.to.firstName, clinic_name: m.clinic.name, portal_link: signInUrl(m.clinic.slug), ...m.vars, ...(m.privateLink ? { private_link: LINK_PLACEHOLDER } : {}) };
  const email = await renderEmail({ subject: template.subject, body: template.body, vars, senderName: m.clinic.name, brandColor: m.clinic.brandColor, unsubscribe: spec.class === "notification" || spec.class === "marketing" });
  const common = { clinicId: m.clinic.id, kind: m.kind, recipientId: m.to.id, eventId: m.eventId ?? null, privateLink: m.privateLink };
  await queueMessage(tx, { ...common, to: m.to.email, subject: email.subject, body: email.text, html: email.html, sendAfter: m.sendAfter ?? null });
  const sms = smsAddress(m.to.phoneNormalized);
  if (m.sms && "sms" in spec && sms) {
    // Quiet hours at the time it is due, not the time it is written: a reminder due days ahead may fall at night.
    const due = m.sendAfter ?? m.now ?? new Date();
    const quiet = quietHoursEnd(due, { start: m.clinic.quietHoursStart, end: m.clinic.quietHoursEnd, timeZone: clinicTimeZone(m.clinic) });
    await queueMessage(tx, { ...common, channel: "sms", to: sms, subject: renderSubject(template.subject, vars), body: renderSms(spec.sms, vars), sendAfter: quiet ?? m.sendAfter ?? null });
  }
}

/** Rule A2: staff who chose this notification get it by email; the clinic's Slack channel gets it once. */
export async function notifyStaff(ctx: ServiceContext, input: { clinic: Clinic; kind: StaffNotificationKind; vars: Record<string, string>; eventId: string | null; slack: boolean }) {
  const tx = ctx.db;
  const staff = await tx.select({ id: users.id, email: users.email, phoneNormalized: users.phoneNormalized, firstName: users.firstName, disabledAt: users.disabledAt }).from(users).where(and(eq(users.clinicId, input.clinic.id), inArray(users.role, ["staff", "admin"])));
  for (const member of staff) {
    if (member.disabledAt || !(await staffChoices(tx, member.id))[input.kind]) continue;
    await sendTemplated(ctx, { kind: input.kind, clinic: input.clinic, to: member, vars: input.vars, eventId: input.eventId });
  }
  if (input.slack) {
    const spec = MESSAGE_KINDS[input.kind];
    const vars = { clinic_name: input.clinic.name, ...input.vars };
    // Issue 19: the clinic's name and every other variable are text, never Slack markup; the words carry no patient's name.
    const text = escapeSlack(`${renderSubject(spec.subject, vars)}\n${renderSms(spec.body, vars)}`);
    await queueMessage(tx, { clinicId: input.clinic.id, kind: input.kind, channel: "slack", to: "slack", subject: renderSubject(spec.subject, vars), body: text, eventId: input.eventId });
  }
}

const FLAG_WORDS = { same_ip: "same network", same_device: "same device", disposable_email: "disposable email", velocity: "many sign-ups at once" } as const;

/**
 * Rule A2: the messages one domain event sets off. Safe to run twice: one message per event, kind and address.
 * A platform context: the event names its clinic, or none (the partner program's events).
 */
export async function composeForEvent(ctx: PlatformContext, input: { eventId: string; now?: Date }): Promise<void> {
  const { eventId, now = new Date() } = input;
  const [row] = await ctx.db.select().from(domainEvents).where(eq(domainEvents.id, eventId));
  if (!row) return;
  if (isStale(row.createdAt, now)) return;
  const event = domainEventSchema.safeParse({ type: row.type, version: row.version, data: row.data });
  if (!event.success) throw new Error(`event ${row.type} does not match the catalog`);
  const e = event.data;
  await withTransaction(ctx, async (platform) => {
    const tx = platform.db;
    if (e.type === "b2b.submission.created") return practiceReferral(tx, e.data, eventId);
    if (e.type === "payout.approved") return payoutStatements(tx, e.data, eventId);
    const clinic = row.clinicId ? await clinicOf(tx, row.clinicId) : undefined;
    if (!clinic) return;
    const service = { ...platform, clinicId: clinic.id };
    switch (e.type) {
      case "referral.created": {
        if (e.data.status !== "signed_up") return;
        const [referrer, friend] = await Promise.all([personOf(tx, e.data.referrerId), personOf(tx, e.data.refereeId)]);
        if (!referrer || !friend) return;
        return sendTemplated(service, { kind: "referral.friend_joined", clinic, to: referrer, vars: { friend_first_name: friend.firstName }, eventId, sms: true, now });
      }
      case "reward.released": {
        const holder = await personOf(tx, e.data.patientId);
        if (!holder) return;
        return sendTemplated(service, { kind: "reward.ready", clinic, to: holder, vars: { reward: formatReward({ kind: e.data.kind, amount: e.data.amount }), ...(await shareVars(tx, clinic, holder.id)) }, eventId, sms: true, now });
      }
      case "reward.expiring": {
        const holder = await personOf(tx, e.data.patientId);
        if (!holder) return;
        const reward = formatReward({ kind: e.data.kind, amount: e.data.amount });
        return sendTemplated(service, { kind: "reward.expiry_reminder", clinic, to: holder, vars: { reward, expires_on: e.data.expiresAt.slice(0, 10) }, eventId, sms: true, now });
      }
      case "webhook.disabled": {
        // Rule A4: 20 failed deliveries in a row, or a 410, turn an endpoint off; its clinic's admins hear of it.
        const reason = e.data.reason === "gone" ? "the receiver answered 410 Gone" : "it failed 20 deliveries in a row";
        const admins = await tx
          .select({ id: users.id, email: users.email, phoneNormalized: users.phoneNormalized, firstName: users.firstName })
          .from(users)
          .where(and(eq(users.clinicId, clinic.id), eq(users.role, "admin"), isNull(users.disabledAt)));
        for (const admin of admins) await sendTemplated(service, { kind: "admin.webhook_disabled", clinic, to: admin, vars: { reason, webhooks_link: appUrl("/console/settings/webhooks") }, eventId });
        return;
      }
      case "referral.flagged": {
        const flags = e.data.flags.map((f) => FLAG_WORDS[f]).join(", ");
        return notifyStaff(service, { clinic, kind: "staff.referral_flagged", vars: { flags, review_link: appUrl("/console/review") }, eventId, slack: true });
      }
      case "order.paid": {
        // Said once the order is paid, not when the credit is set aside: a declined card gives it back.
        if (e.data.creditCents > 0) {
          const holder = await personOf(tx, e.data.patientId);
          if (holder) await sendTemplated(service, { kind: "credit.applied", clinic, to: holder, vars: { amount: formatCents(e.data.creditCents) }, eventId });
        }
        return shareReminder(service, clinic, e.data, eventId, now);
      }
      default:
        return;
    }
  });
}

/** Rule A2: the share reminder, once, N days after the first paid visit (a marketing message: opt-in needed). */
async function shareReminder(service: ServiceContext, clinic: Clinic, data: EventData<"order.paid">, eventId: string, now: Date) {
  const tx = service.db;
  const [settings] = await tx.select({ days: clinics.shareReminderDays }).from(clinics).where(eq(clinics.id, clinic.id));
  if (!settings?.days) return;
  const [paid] = await tx.select({ n: count() }).from(orders).where(and(eq(orders.patientId, data.patientId), eq(orders.status, "paid")));
  if ((paid?.n ?? 0) !== 1) return;
  const holder = await personOf(tx, data.patientId);
  if (!holder) return;
  const sendAfter = new Date(now.getTime() + settings.days * 24 * 3600 * 1000);
  // The link is chosen now; rule P14 is read again by nobody at sending, so it points to the portal unless terms stand.
  await sendTemplated(service, { kind: "patient.share_reminder", clinic, to: holder, vars: await shareVars(tx, clinic, holder.id), eventId, sms: true, sendAfter });
}

/** Rule A2: platform admins hear of each new practice referral. */
async function practiceReferral(tx: Db, data: EventData<"b2b.submission.created">, eventId: string) {
  if (data.duplicateOf) return;
  const [referral] = await tx.select({ practiceName: b2bReferrals.practiceName }).from(b2bReferrals).where(eq(b2bReferrals.id, data.referralId));
  if (!referral) return;
  const admins = await tx.select({ id: users.id, email: users.email }).from(users).where(and(eq(users.role, "platform_admin")));
  const spec = MESSAGE_KINDS["platform.practice_referral"];
  const vars = { practice_name: referral.practiceName, referral_link: appUrl(`/platform/referrals/${data.referralId}`) };
  const email = await renderEmail({ subject: spec.subject, body: spec.body, vars, senderName: "Practice referral program", unsubscribe: false });
  for (const admin of admins) {
    await queueMessage(tx, { clinicId: null, kind: "platform.practice_referral", to: admin.email, recipientId: admin.id, subject: email.subject, body: email.text, html: email.html, eventId });
  }
}

/** Rule A2: each partner referrer of an approved run gets a statement, with their own status link (rule B5). */
async function payoutStatements(tx: Db, data: EventData<"payout.approved">, eventId: string) {
  const items = await tx
    .select({ referrerId: b2bPayoutItems.referrerId, totalCents: b2bPayoutItems.totalCents, email: partnerReferrers.email })
    .from(b2bPayoutItems)
    .innerJoin(partnerReferrers, eq(partnerReferrers.id, b2bPayoutItems.referrerId))
    .where(eq(b2bPayoutItems.runId, data.runId));
  const spec = MESSAGE_KINDS["b2b.payout_statement"];
  for (const item of items) {
    if (item.totalCents <= 0) continue;
    const vars = { month: data.month, amount: formatCents(item.totalCents), private_link: LINK_PLACEHOLDER };
    const email = await renderEmail({ subject: spec.subject, body: spec.body, vars, senderName: "Practice referral program", unsubscribe: false });
    // The link is issued only when this event's statement is first written, so a repeated job issues none.
    const [already] = await tx.select({ id: outboxMessages.id }).from(outboxMessages).where(and(eq(outboxMessages.eventId, eventId), eq(outboxMessages.to, item.email)));
    if (already) continue;
    const token = await issueStatusToken({ db: tx }, { referrerId: item.referrerId, scope: "referrer", referralId: null });
    await queueMessage(tx, { clinicId: null, kind: "b2b.payout_statement", to: item.email, subject: email.subject, body: email.text, html: email.html, privateLink: appUrl(statusPath(token)), referrerId: item.referrerId, eventId });
  }
}
