import type { MESSAGE_CLASSES } from "@/db/schema";

export type MessageClass = (typeof MESSAGE_CLASSES)[number];

/**
 * Rule A2: every kind of message the app sends, who it is for, its consent class and its default
 * words. Bodies are plain paragraphs with named variables (`{{first_name}}`); a variable ending in
 * `_link` renders as a link in the HTML part and as the bare address in the text part. Content
 * is minimal (rule N3): no service names or visit details, other people by first name only.
 */
export type KindSpec = {
  class: MessageClass;
  label: string;
  /** Clinics may write their own subject and body (rule C3). */
  editable: boolean;
  sms?: string;
  subject: string;
  body: string;
  sample: Record<string, string>;
};

const portal = "{{portal_link}}";
const sample = { first_name: "Alex", clinic_name: "Bright Smile Dental", portal_link: "https://example.test/signin/bright-smile" };

export const MESSAGE_KINDS = {
  "patient.welcome": {
    class: "notification",
    label: "Welcome",
    editable: true,
    subject: "Welcome to {{clinic_name}}'s referral program",
    body: `Hi {{first_name}},\n\nyour patient account at {{clinic_name}} is ready. Sign in any time to see your visits, credits and invitations:\n\n${portal}`,
    sample,
  },
  "referral.friend_joined": {
    class: "notification",
    label: "A friend joined through your link",
    editable: true,
    subject: "{{friend_first_name}} joined {{clinic_name}} through your link",
    body: `Hi {{first_name}},\n\n{{friend_first_name}} signed up at {{clinic_name}} with your referral. Once they complete their first visit, your reward is on its way.\n\n${portal}`,
    sms: "{{clinic_name}}: {{friend_first_name}} joined through your referral. Reply STOP to opt out.",
    sample: { ...sample, friend_first_name: "Sam" },
  },
  "reward.ready": {
    class: "notification",
    label: "Your reward is ready",
    editable: true,
    subject: "Your {{clinic_name}} reward is ready",
    body: `Hi {{first_name}},\n\nyour reward of {{reward}} from {{clinic_name}} is ready. It is applied automatically to your next order; see it in your patient portal:\n\n${portal}\n\n{{share_text}}\n\n{{share_link}}`,
    sms: "{{clinic_name}}: your reward of {{reward}} is ready. Reply STOP to opt out.",
    sample: { ...sample, reward: "$25.00 credit", share_text: "Share your link with friends:", share_link: "https://example.test/r/ALEX25" },
  },
  "credit.applied": {
    class: "transactional",
    label: "Credit applied to an order",
    editable: true,
    subject: "{{amount}} of your {{clinic_name}} credit was applied",
    body: `Hi {{first_name}},\n\n{{amount}} of your credit at {{clinic_name}} was applied to your order.\n\n${portal}`,
    sample: { ...sample, amount: "$25.00" },
  },
  "reward.expiry_reminder": {
    class: "notification",
    label: "Credit expiry reminder",
    editable: true,
    subject: "Your {{clinic_name}} reward expires soon",
    body: `Hi {{first_name}},\n\nyour {{reward}} from {{clinic_name}} expires on {{expires_on}}. It is applied automatically to your next order.\n\n${portal}`,
    sms: "{{clinic_name}}: your {{reward}} expires on {{expires_on}}. Reply STOP to opt out.",
    sample: { ...sample, reward: "$25.00 credit", expires_on: "2026-12-31" },
  },
  "patient.share_reminder": {
    class: "marketing",
    label: "Reminder to share (once, after a first paid visit)",
    editable: true,
    subject: "Know someone who'd like {{clinic_name}}?",
    body: `Hi {{first_name}},\n\nthanks for visiting {{clinic_name}}. Friends who join through you earn you both a reward.\n\n{{share_text}}\n\n{{share_link}}`,
    sms: "{{clinic_name}}: friends who join through you earn you both a reward. Reply STOP to opt out.",
    sample: { ...sample, share_text: "Share your link:", share_link: "https://example.test/r/ALEX25" },
  },
  "patient.sign_up_existing": {
    class: "account",
    label: "Sign-up with an address that has an account",
    editable: false,
    subject: "Someone tried to create an account at {{clinic_name}} with your email",
    body: `Someone tried to create a patient account at {{clinic_name}} with this email address, which already has one. Nothing was changed. If it was you, sign in with your existing password:\n\n${portal}\n\nIf it wasn't you, you can ignore this message.`,
    sample,
  },
  "account.program_sign_up_existing": {
    class: "account",
    label: "Program sign-up with an address that has a team account",
    editable: false,
    subject: "Someone tried to start a referral program with your email",
    body: "Hello,\n\nsomeone tried to start a referral program for {{practice_name}} with this email address, which already has a clinic team account. Nothing was created. If it was you, sign in with your existing account, or start the program with another address:\n\n{{sign_in_link}}\n\nIf it wasn't you, you can ignore this message.",
    sample: { ...sample, practice_name: "Bright Smile Dental", sign_in_link: "https://example.test/signin" },
  },
  "account.verify_email": {
    class: "account",
    label: "Email verification",
    editable: false,
    subject: "Confirm your email address",
    body: "Hi {{first_name}},\n\nplease confirm this is your email address by opening this link:\n\n{{private_link}}\n\nIf you did not create an account, you can ignore this message.",
    sample: { ...sample, private_link: "https://example.test/verify/sample" },
  },
  "patient.portal_invitation": {
    class: "account",
    label: "Portal invitation (imported patients)",
    editable: false,
    subject: "Your patient portal at {{clinic_name}}",
    body: "Hi {{first_name}},\n\n{{clinic_name}} set up your patient portal, where you can see your referral link, credits and visits. Choose a password to open it; the link works once, for 7 days:\n\n{{private_link}}",
    sample: { ...sample, private_link: "https://example.test/reset/sample" },
  },
  "account.password_reset": {
    class: "account",
    label: "Password reset",
    editable: false,
    subject: "Reset your password",
    body: "Hi {{first_name}},\n\nsomeone asked to reset the password of your account. The link works once, for one hour:\n\n{{private_link}}\n\nIf it wasn't you, ignore this message: your password stays as it is.",
    sample: { ...sample, private_link: "https://example.test/reset/sample" },
  },
  "account.password_changed": {
    class: "account",
    label: "Password changed",
    editable: false,
    subject: "Your password was changed",
    body: "Hi {{first_name}},\n\nthe password of your account was just changed, and your other sessions were signed out. If this wasn't you, reset your password now:\n\n{{reset_link}}",
    sample: { ...sample, reset_link: "https://example.test/reset" },
  },
  "team.invitation": {
    class: "account",
    label: "Team invitation",
    editable: false,
    subject: "You're invited to {{clinic_name}}'s referral console",
    body: "Hello,\n\nyou have been invited to join {{clinic_name}} as {{role}}. The invitation is valid for 7 days:\n\n{{private_link}}",
    sample: { ...sample, role: "staff", private_link: "https://example.test/invite/sample" },
  },
  "staff.referral_flagged": {
    class: "staff",
    label: "A referral was flagged for review",
    editable: false,
    subject: "A referral at {{clinic_name}} needs review",
    body: "A new referral was flagged for review ({{flags}}). Its rewards wait until someone approves it.\n\n{{review_link}}",
    sample: { ...sample, flags: "same device", review_link: "https://example.test/console/review" },
  },
  "staff.digest_daily": {
    class: "staff",
    label: "Daily digest",
    editable: false,
    subject: "{{clinic_name}} referrals: {{period}}",
    body: "{{summary}}\n\n{{dashboard_link}}",
    sample: { ...sample, period: "yesterday", summary: "3 new referrals, 1 qualified, $50.00 in rewards.", dashboard_link: "https://example.test/console" },
  },
  "staff.digest_weekly": {
    class: "staff",
    label: "Weekly digest",
    editable: false,
    subject: "{{clinic_name}} referrals: {{period}}",
    body: "{{summary}}\n\n{{dashboard_link}}",
    sample: { ...sample, period: "last week", summary: "12 new referrals, 4 qualified, $200.00 in rewards.", dashboard_link: "https://example.test/console" },
  },
  "platform.practice_referral": {
    class: "staff",
    label: "A new practice referral",
    editable: false,
    // Issue 19: a name typed by the public stays out of the subject line.
    subject: "New practice referral",
    body: "A partner referred {{practice_name}}. It waits in the platform's referral list:\n\n{{referral_link}}",
    sample: { ...sample, practice_name: "Lakeside Clinic", referral_link: "https://example.test/platform/referrals" },
  },
  "b2b.payout_statement": {
    class: "transactional",
    label: "Payout statement",
    editable: false,
    subject: "Your referral payout for {{month}}",
    body: "Hello,\n\nyour payout of {{amount}} for {{month}} was approved and will be paid shortly. Your status page lists each referral:\n\n{{private_link}}",
    sample: { ...sample, month: "2026-11", amount: "$500.00", private_link: "https://example.test/partners/status/sample" },
  },
  "admin.webhook_disabled": {
    class: "transactional",
    label: "A webhook endpoint was disabled",
    editable: false,
    subject: "A webhook endpoint at {{clinic_name}} was disabled",
    body: "One of your webhook endpoints stopped receiving events: {{reason}}. Nothing more is sent to it until an admin turns it on again from the Webhooks settings:\n\n{{webhooks_link}}",
    sample: { ...sample, reason: "it failed 20 deliveries in a row", webhooks_link: "https://example.test/console/settings/webhooks" },
  },
} as const satisfies Record<string, KindSpec>;

export type TemplatedKind = keyof typeof MESSAGE_KINDS;
export const TEMPLATED_KINDS = Object.keys(MESSAGE_KINDS) as TemplatedKind[];
export const EDITABLE_KINDS = TEMPLATED_KINDS.filter((k) => MESSAGE_KINDS[k].editable);
/** Staff notifications a member may turn on or off for themselves; the flag alert is on by default. */
export const STAFF_NOTIFICATION_KINDS = ["staff.referral_flagged", "staff.digest_daily", "staff.digest_weekly"] as const;
export type StaffNotificationKind = (typeof STAFF_NOTIFICATION_KINDS)[number];
export const STAFF_NOTIFICATION_DEFAULTS: Record<StaffNotificationKind, boolean> = {
  "staff.referral_flagged": true,
  "staff.digest_daily": false,
  "staff.digest_weekly": true,
};

export function kindSpec(kind: string): KindSpec | undefined {
  return (MESSAGE_KINDS as Record<string, KindSpec>)[kind];
}

/** The class of a kind not in the catalog (the partner program's own messages) is transactional. */
export const classOf = (kind: string): MessageClass => kindSpec(kind)?.class ?? "transactional";
/** Rule A2: these classes carry an unsubscribe link and honour it. */
export const unsubscribable = (c: MessageClass) => c === "notification" || c === "marketing";
