import { z } from "zod";
import { EDITABLE_KINDS, STAFF_NOTIFICATION_KINDS } from "@/server/messaging/kinds";
import { emailField, passwordField } from "./account";
import { singleLine } from "./text";

/** Rule C3: a clinic's words for one kind of message. */
export const templateKind = z.enum(EDITABLE_KINDS as [string, ...string[]], "Choose one of the clinic's messages.");
export const templateInput = z.strictObject({
  kind: templateKind,
  subject: singleLine().min(1, "Write a subject.").max(150, "Keep the subject under 150 characters."),
  body: z
    .string()
    .trim()
    .min(1, "Write the message.")
    .max(3000, "Keep the message under 3,000 characters.")
    // Control characters other than line breaks have no place in an email body.
    .refine((v) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v), "Use letters, digits and punctuation, without invisible control characters."),
});
export const templateKindInput = z.strictObject({ kind: templateKind });

const hour = z.int("Choose a whole hour.").min(0, "Hours run from 0 to 23.").max(23, "Hours run from 0 to 23.");
export const messageSettingsInput = z.strictObject({
  quietHoursStart: hour,
  quietHoursEnd: hour,
  shareReminderDays: z.int("Use a whole number of days.").min(1, "Send the share reminder at least 1 day after the visit.").max(365, "Send the share reminder within a year.").nullable(),
  /** Omitted: keep the current URL; null or "": remove it. */
  slackWebhookUrl: z.union([z.literal(""), z.url("Paste the whole webhook URL, starting with https://hooks.slack.com/services/.").max(500)]).nullable().optional(),
});

/** Issue 19: an admin says whether the clinic's Slack workspace is covered by a BAA with Slack; only then do posts name patients. */
export const slackBaaInput = z.strictObject({ covered: z.boolean("Say whether the workspace is covered.") });

export const staffChoiceInput = z.strictObject({ kind: z.enum(STAFF_NOTIFICATION_KINDS), enabled: z.boolean() });

export const consentInput = z.strictObject({ sms: z.boolean(), marketing: z.boolean() });

/** How many messages one page of the log holds. */
export const MESSAGE_LOG_PAGE = 100;

/** A page of the message log: the messages older than the one named (the last of the page before), or the newest. */
export const logInput = z.strictObject({ before: z.uuid("That page of the log is not valid.").nullable().default(null) });

export const resetRequestInput = z.strictObject({ email: emailField, clinicSlug: singleLine().max(80).nullable().default(null) });
export const resetPasswordInput = z.strictObject({ token: z.string().min(20).max(100).regex(/^[\w-]+$/, "This reset link is not valid."), newPassword: passwordField });
export const verifyEmailInput = z.strictObject({ token: z.string().min(20).max(100).regex(/^[\w-]+$/, "This verification link is not valid.") });
