import { z } from "zod";
import { MESSAGE_CHANNELS, OUTBOX_STATUSES, clinics } from "@/db/schema";
import { eq } from "drizzle-orm";
import { requestPasswordReset, resendVerificationEmail, resetPassword, verifyEmail } from "@/server/auth/account-links";
import { STAFF_NOTIFICATION_KINDS, type TemplatedKind } from "@/server/messaging/kinds";
import {
  clinicTemplates,
  messageSettings,
  previewTemplate,
  resetTemplate,
  saveTemplate,
  sendTestMessage,
  setSlackBaaCovered,
  setStaffChoice,
  staffChoices,
  updateMessageSettings,
} from "@/server/messaging/settings";
import { messageLog } from "@/server/messaging/store";
import {
  consentInput,
  logInput,
  MESSAGE_LOG_PAGE,
  messageSettingsInput,
  resetPasswordInput,
  resetRequestInput,
  slackBaaInput,
  staffChoiceInput,
  templateInput,
  templateKindInput,
  verifyEmailInput,
} from "@/server/schemas/messages";
import { DomainError } from "@/server/kernel/errors";
import { limitPerNetwork } from "@/server/kernel/rate-limit";
import { accountProcedure, adminProcedure, patientProcedure, publicProcedure, router, staffProcedure } from "@/server/trpc";
import { patientConsent, setPatientConsent } from "@/server/messaging/consent";
import { SMS_OPT_IN_WORDING } from "@/server/schemas/account";

const logEntry = z.object({
  id: z.uuid(),
  kind: z.string(),
  channel: z.enum(MESSAGE_CHANNELS),
  to: z.string(),
  subject: z.string(),
  body: z.string(),
  status: z.enum(OUTBOX_STATUSES),
  reason: z.string().nullable(),
  attempts: z.int(),
  sendAfter: z.date().nullable(),
  sentAt: z.date().nullable(),
  createdAt: z.date(),
});
export const messageLogOutput = z.array(logEntry);

const template = z.object({ kind: z.string(), label: z.string(), subject: z.string(), body: z.string(), custom: z.boolean(), variables: z.array(z.string()) });
const rendered = z.object({ subject: z.string(), text: z.string(), html: z.string() });
const settingsOutput = z.object({ quietHoursStart: z.int(), quietHoursEnd: z.int(), shareReminderDays: z.int().nullable(), slackConfigured: z.boolean(), slackBaaCovered: z.boolean() });
const consentOutput = z.object({ hasPhone: z.boolean(), sms: z.boolean(), marketing: z.boolean() });
const choicesOutput = z.object(Object.fromEntries(STAFF_NOTIFICATION_KINDS.map((k) => [k, z.boolean()])) as Record<(typeof STAFF_NOTIFICATION_KINDS)[number], z.ZodBoolean>);

/** Rules A2, C3: the clinic's message log, its templates and message settings, each member's own notifications. */
export const messagesRouter = router({
  /** What was sent or would have been sent; private links are never readable here. */
  log: staffProcedure.input(logInput).output(messageLogOutput).query(({ ctx, input }) => messageLog(ctx.db, { clinicId: ctx.clinicId, limit: MESSAGE_LOG_PAGE, before: input.before })),

  templates: adminProcedure.output(z.array(template)).query(({ ctx }) => clinicTemplates(ctx.db, ctx.clinicId)),
  saveTemplate: adminProcedure
    .input(templateInput)
    .output(template)
    .mutation(({ ctx, input }) => saveTemplate(ctx.db, ctx.actor, { clinicId: ctx.clinicId, userId: ctx.userId, kind: input.kind as TemplatedKind, subject: input.subject, body: input.body })),
  resetTemplate: adminProcedure.input(templateKindInput).output(template).mutation(({ ctx, input }) => resetTemplate(ctx.db, ctx.actor, { clinicId: ctx.clinicId, kind: input.kind as TemplatedKind })),
  preview: adminProcedure
    .input(templateInput)
    .output(rendered)
    .query(async ({ ctx, input }) => {
      const [clinic] = await ctx.db.select({ name: clinics.name, brandColor: clinics.brandColor }).from(clinics).where(eq(clinics.id, ctx.clinicId));
      return previewTemplate({ kind: input.kind as TemplatedKind, subject: input.subject, body: input.body, clinicName: clinic?.name ?? "", brandColor: clinic?.brandColor });
    }),
  testSend: adminProcedure
    .input(templateInput)
    .output(z.object({ sentTo: z.string() }))
    .mutation(({ ctx, input }) => sendTestMessage(ctx.db, { clinicId: ctx.clinicId, kind: input.kind as TemplatedKind, subject: input.subject, body: input.body, userId: ctx.userId })),

  settings: adminProcedure.output(settingsOutput).query(({ ctx }) => messageSettings(ctx.db, ctx.clinicId)),
  updateSettings: adminProcedure
    .input(messageSettingsInput)
    .output(settingsOutput)
    .mutation(({ ctx, input }) => updateMessageSettings(ctx.db, ctx.actor, { clinicId: ctx.clinicId, ...input, slackWebhookUrl: input.slackWebhookUrl === "" ? null : input.slackWebhookUrl })),

  /** Issue 19: whether the clinic's Slack workspace is covered by a BAA, so Slack posts may name patients; audited. */
  setSlackBaaCovered: adminProcedure
    .input(slackBaaInput)
    .output(settingsOutput)
    .mutation(({ ctx, input }) => setSlackBaaCovered(ctx.db, ctx.actor, { clinicId: ctx.clinicId, covered: input.covered })),

  /** The patient's own opt-ins (rules A2, N7). */
  myConsent: patientProcedure.output(consentOutput).query(({ ctx }) => patientConsent(ctx.db, ctx.userId)),
  setMyConsent: patientProcedure
    .input(consentInput)
    .output(consentOutput)
    .mutation(({ ctx, input }) => setPatientConsent(ctx.db, { userId: ctx.userId, clinicId: ctx.clinicId, ...input, wording: SMS_OPT_IN_WORDING })),

  myNotifications: staffProcedure.output(choicesOutput).query(({ ctx }) => staffChoices(ctx.db, ctx.userId)),
  setMyNotification: staffProcedure.input(staffChoiceInput).output(choicesOutput).mutation(({ ctx, input }) => setStaffChoice(ctx.db, { userId: ctx.userId, ...input })),
});

/** Account emails' public steps: ask for a reset link, use it, verify an address. */
export const accountEmailsRouter = router({
  /** The same answer whether or not the address has an account (rule N6). */
  requestReset: publicProcedure
    .input(resetRequestInput)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await limitPerNetwork(ctx.db, "passwordReset", ctx.fingerprint.ipHash);
      const [clinic] = input.clinicSlug ? await ctx.db.select({ id: clinics.id }).from(clinics).where(eq(clinics.slug, input.clinicSlug)) : [];
      if (input.clinicSlug && !clinic) throw new DomainError("not_found", "We couldn't find that clinic. Check the link you followed.");
      await requestPasswordReset(ctx.db, { email: input.email, clinicId: clinic?.id ?? null });
      return { ok: true as const };
    }),
  resetPassword: publicProcedure
    .input(resetPasswordInput)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await limitPerNetwork(ctx.db, "passwordReset", ctx.fingerprint.ipHash);
      await resetPassword(ctx.db, input);
      return { ok: true as const };
    }),
  verifyEmail: publicProcedure
    .input(verifyEmailInput)
    .output(z.object({ verified: z.boolean() }))
    .mutation(async ({ ctx, input }) => ({ verified: await verifyEmail(ctx.db, input.token) })),
  /** Issue 13: a new confirmation link to the caller's own address (going live waits for it). */
  resendVerification: accountProcedure
    .output(z.object({ state: z.enum(["sent", "already_verified"]) }))
    .mutation(({ ctx }) => resendVerificationEmail(ctx.db, ctx.userId)),
});
