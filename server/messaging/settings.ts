import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { clinics, messageTemplates, staffNotificationChoices, users } from "@/db/schema";
import { auditBy } from "@/server/kernel/audit";
import { clockNow } from "@/server/kernel/clock";
import { DomainError } from "@/server/kernel/errors";
import { seal, unseal, type SealPurpose } from "@/server/kernel/sealed";
import type { Actor } from "@/server/events/actor";
import { isSlackWebhookUrl } from "./channels";
import { EDITABLE_KINDS, kindSpec, MESSAGE_KINDS, STAFF_NOTIFICATION_DEFAULTS, STAFF_NOTIFICATION_KINDS, type StaffNotificationKind, type TemplatedKind } from "./kinds";
import { renderEmail, variablesOf } from "./render";
import { queueMessage } from "./store";

const SLACK: SealPurpose = { salt: "slack-webhook", info: "clinic-slack-webhook-v1" };
export const openSlackWebhook = (sealed: string) => unseal(SLACK, sealed);

/** The message settings of a clinic; the Slack URL is a credential and is never shown back, only whether one is set. */
export async function messageSettings(db: Db, clinicId: string) {
  const [row] = await db
    .select({ quietHoursStart: clinics.quietHoursStart, quietHoursEnd: clinics.quietHoursEnd, shareReminderDays: clinics.shareReminderDays, slack: clinics.slackWebhookSealed, slackBaaCoveredAt: clinics.slackBaaCoveredAt })
    .from(clinics)
    .where(eq(clinics.id, clinicId));
  if (!row) throw new DomainError("not_found", "We couldn't find that clinic.");
  return { quietHoursStart: row.quietHoursStart, quietHoursEnd: row.quietHoursEnd, shareReminderDays: row.shareReminderDays, slackConfigured: !!row.slack, slackBaaCovered: !!row.slackBaaCoveredAt };
}

/**
 * Issue 19: an admin vouches (or stops vouching) that the clinic's Slack workspace is covered by a
 * BAA with Slack; until then Slack posts name no patient. Audited in the same transaction; the
 * first vouching's time is kept while it holds.
 */
export async function setSlackBaaCovered(db: Db, actor: Actor, input: { clinicId: string; covered: boolean }) {
  return db.transaction(async (tx) => {
    // Two admins at once: one changes it and is audited, the other reads the result.
    await tx.select({ id: clinics.id }).from(clinics).where(eq(clinics.id, input.clinicId)).for("update");
    const before = await messageSettings(tx, input.clinicId);
    if (before.slackBaaCovered !== input.covered) {
      await tx.update(clinics).set({ slackBaaCoveredAt: input.covered ? clockNow : null }).where(eq(clinics.id, input.clinicId));
      await auditBy(tx, actor, { clinicId: input.clinicId, action: "messages.slack_baa", targetType: "clinic", targetId: input.clinicId, before: { slackBaaCovered: before.slackBaaCovered }, after: { slackBaaCovered: input.covered } });
    }
    return messageSettings(tx, input.clinicId);
  });
}

export async function updateMessageSettings(
  db: Db,
  actor: Actor,
  input: { clinicId: string; quietHoursStart: number; quietHoursEnd: number; shareReminderDays: number | null; slackWebhookUrl?: string | null },
) {
  if (input.slackWebhookUrl && !isSlackWebhookUrl(input.slackWebhookUrl)) {
    throw new DomainError("invalid", "Paste a Slack incoming-webhook URL: it starts with https://hooks.slack.com/services/.", "slackWebhookUrl");
  }
  return db.transaction(async (tx) => {
    const before = await messageSettings(tx, input.clinicId);
    const slack = input.slackWebhookUrl === undefined ? {} : { slackWebhookSealed: input.slackWebhookUrl ? seal(SLACK, input.slackWebhookUrl) : null };
    await tx
      .update(clinics)
      .set({ quietHoursStart: input.quietHoursStart, quietHoursEnd: input.quietHoursEnd, shareReminderDays: input.shareReminderDays, ...slack })
      .where(eq(clinics.id, input.clinicId));
    const after = await messageSettings(tx, input.clinicId);
    await auditBy(tx, actor, { clinicId: input.clinicId, action: "messages.settings", targetType: "clinic", targetId: input.clinicId, before, after });
    return after;
  });
}

/** Rule C3: the words a clinic uses for a kind, its own or the default. */
export async function templateOf(db: Db, clinicId: string, kind: TemplatedKind) {
  const spec = MESSAGE_KINDS[kind];
  const [own] = spec.editable ? await db.select().from(messageTemplates).where(and(eq(messageTemplates.clinicId, clinicId), eq(messageTemplates.kind, kind))) : [];
  return { kind, label: spec.label, subject: own?.subject ?? spec.subject, body: own?.body ?? spec.body, custom: !!own, variables: Object.keys(spec.sample) };
}

export async function clinicTemplates(db: Db, clinicId: string) {
  return Promise.all(EDITABLE_KINDS.map((kind) => templateOf(db, clinicId, kind)));
}

function checkTemplate(kind: TemplatedKind, subject: string, body: string) {
  const known = new Set(Object.keys(MESSAGE_KINDS[kind].sample));
  const unknown = [...variablesOf(subject), ...variablesOf(body)].filter((v) => !known.has(v));
  if (unknown.length) throw new DomainError("invalid", `This message has no variable named ${unknown.map((u) => `{{${u}}}`).join(", ")}. Use one of: ${[...known].map((k) => `{{${k}}}`).join(", ")}.`, "body");
}

export async function saveTemplate(db: Db, actor: Actor, input: { clinicId: string; kind: TemplatedKind; subject: string; body: string; userId: string }) {
  if (!kindSpec(input.kind)?.editable) throw new DomainError("invalid", "This message's words are fixed.", "kind");
  checkTemplate(input.kind, input.subject, input.body);
  return db.transaction(async (tx) => {
    const before = await templateOf(tx, input.clinicId, input.kind);
    await tx
      .insert(messageTemplates)
      .values({ clinicId: input.clinicId, kind: input.kind, subject: input.subject, body: input.body, updatedById: input.userId })
      .onConflictDoUpdate({ target: [messageTemplates.clinicId, messageTemplates.kind], set: { subject: input.subject, body: input.body, updatedById: input.userId, updatedAt: new Date() } });
    await auditBy(tx, actor, { clinicId: input.clinicId, action: "messages.template", targetType: "message_template", targetId: null, before: { kind: input.kind, subject: before.subject, body: before.body }, after: { kind: input.kind, subject: input.subject, body: input.body } });
    return templateOf(tx, input.clinicId, input.kind);
  });
}

export async function resetTemplate(db: Db, actor: Actor, input: { clinicId: string; kind: TemplatedKind }) {
  return db.transaction(async (tx) => {
    const removed = await tx.delete(messageTemplates).where(and(eq(messageTemplates.clinicId, input.clinicId), eq(messageTemplates.kind, input.kind))).returning();
    if (removed.length) await auditBy(tx, actor, { clinicId: input.clinicId, action: "messages.template_reset", targetType: "message_template", targetId: null, before: { kind: input.kind }, after: null });
    return templateOf(tx, input.clinicId, input.kind);
  });
}

/** Rule C3: the template as a patient would get it, with the kind's sample data. */
export async function previewTemplate(input: { kind: TemplatedKind; subject: string; body: string; clinicName: string; brandColor?: string | null }) {
  checkTemplate(input.kind, input.subject, input.body);
  const spec = MESSAGE_KINDS[input.kind];
  const unsubscribe = spec.class === "notification" || spec.class === "marketing";
  return renderEmail({ subject: input.subject, body: input.body, vars: { ...spec.sample, clinic_name: input.clinicName }, senderName: input.clinicName, brandColor: input.brandColor, unsubscribe });
}

export async function staffChoices(db: Db, userId: string): Promise<Record<StaffNotificationKind, boolean>> {
  const rows = await db.select().from(staffNotificationChoices).where(eq(staffNotificationChoices.userId, userId));
  const out = { ...STAFF_NOTIFICATION_DEFAULTS };
  for (const row of rows) if ((STAFF_NOTIFICATION_KINDS as readonly string[]).includes(row.kind)) out[row.kind as StaffNotificationKind] = row.enabled;
  return out;
}

export async function setStaffChoice(db: Db, input: { userId: string; kind: StaffNotificationKind; enabled: boolean }) {
  await db
    .insert(staffNotificationChoices)
    .values(input)
    .onConflictDoUpdate({ target: [staffNotificationChoices.userId, staffNotificationChoices.kind], set: { enabled: input.enabled, updatedAt: new Date() } });
  return staffChoices(db, input.userId);
}

/** Rule C3: the template with sample data, to the staff member's own address only (kind "test"). */
export async function sendTestMessage(db: Db, input: { clinicId: string; kind: TemplatedKind; subject: string; body: string; userId: string }) {
  const [clinic] = await db.select({ name: clinics.name, brandColor: clinics.brandColor }).from(clinics).where(eq(clinics.id, input.clinicId));
  const [me] = await db.select({ id: users.id, email: users.email }).from(users).where(eq(users.id, input.userId));
  if (!me) throw new DomainError("not_found", "We couldn't find your account.");
  const email = await previewTemplate({ kind: input.kind, subject: input.subject, body: input.body, clinicName: clinic?.name ?? "", brandColor: clinic?.brandColor });
  await db.transaction((tx) =>
    queueMessage(tx, { clinicId: input.clinicId, kind: "test", to: me.email, recipientId: me.id, subject: `[Test] ${email.subject}`, body: email.text, html: email.html }),
  );
  return { sentTo: me.email };
}
