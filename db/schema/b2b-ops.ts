import { clinics } from "./clinics";
import { sql } from "drizzle-orm";
import { boolean, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { b2bReferrals, partnerReferrers } from "./b2b-partners";
import { createdAt, id } from "./columns";
import { users } from "./users";

/**
 * pending: waiting for its job; sent: accepted by the provider; failed: out of retries;
 * logged: rendered and kept, no channel configured (a newcomer's laptop); suppressed: consent
 * or a bounce stopped it (rule N7); bounced: the provider refused the address for good; expired:
 * still unsent days after it was due (news that late is noise: server/messaging/stale.ts); held:
 * a clinic with no confirmed admin sends nothing to others until one confirms (issue 19).
 */
export const OUTBOX_STATUSES = ["pending", "sent", "failed", "logged", "suppressed", "bounced", "expired", "held"] as const;
export const outboxStatusEnum = pgEnum("outbox_status", OUTBOX_STATUSES);
export const MESSAGE_CHANNELS = ["email", "sms", "slack"] as const;
export const messageChannelEnum = pgEnum("message_channel", MESSAGE_CHANNELS);
/** Rule A2: account and transactional messages always go; notification and marketing ones honour unsubscribes. */
export const MESSAGE_CLASSES = ["account", "transactional", "notification", "marketing", "staff"] as const;
export const messageClassEnum = pgEnum("message_class", MESSAGE_CLASSES);

/** Messages waiting to leave, written in the same transaction as the event they tell of (A3). */
export const outboxMessages = pgTable(
  "outbox_messages",
  {
    id: id(),
    /** Set for a clinic's messages to its patients (rule N1: never listed on the platform). */
    clinicId: uuid().references(() => clinics.id, { onDelete: "cascade" }),
    kind: text().notNull(),
    to: text().notNull(),
    subject: text().notNull(),
    /** May hold the link placeholder; the link itself is only in `sealedLink`, never shown to staff. */
    body: text().notNull(),
    /** The private link of the message, encrypted with a key derived from the app secret. */
    sealedLink: text(),
    referralId: uuid().references(() => b2bReferrals.id, { onDelete: "set null" }),
    referrerId: uuid().references(() => partnerReferrers.id, { onDelete: "set null" }),
    status: outboxStatusEnum().notNull().default("pending"),
    channel: messageChannelEnum().notNull().default("email"),
    messageClass: messageClassEnum().notNull().default("transactional"),
    /** The email's HTML part, rendered from the template; private links as placeholders like the body. */
    html: text(),
    /** The account the message is for, when it is one (unsubscribes and consent are checked against it). */
    recipientId: uuid().references(() => users.id, { onDelete: "set null" }),
    /** The domain event that set it off: one message per event, kind and address however often the job runs. */
    eventId: uuid(),
    /** Rule N7: an SMS written in quiet hours waits until this time. */
    sendAfter: timestamp({ withTimezone: true }),
    attempts: integer().notNull().default(0),
    /** The last provider error, settings and codes only (never the body). */
    lastError: text(),
    sentAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("outbox_messages_time_idx").on(t.createdAt),
    index("outbox_messages_clinic_idx").on(t.clinicId, t.createdAt),
    index("outbox_messages_referral_idx").on(t.referralId),
    index("outbox_messages_referrer_idx").on(t.referrerId),
    index("outbox_messages_recipient_idx").on(t.recipientId),
    uniqueIndex("outbox_messages_event_unique").on(t.eventId, t.kind, t.channel, t.to).where(sql`${t.eventId} is not null`),
  ],
);

export const SUPPRESSION_REASONS = ["unsubscribe", "bounce", "sms_stop"] as const;
export const suppressionReasonEnum = pgEnum("suppression_reason", SUPPRESSION_REASONS);

/**
 * Rules A2, N7: addresses (emails or phone digits) that must not get a kind of message from a
 * clinic (null: the platform). kind "*" means every kind that may be refused (a hard bounce, SMS STOP).
 */
export const messageSuppressions = pgTable(
  "message_suppressions",
  {
    id: id(),
    clinicId: uuid().references(() => clinics.id, { onDelete: "cascade" }),
    address: text().notNull(),
    kind: text().notNull(),
    reason: suppressionReasonEnum().notNull(),
    createdAt: createdAt(),
  },
  (t) => [unique("message_suppressions_unique").on(t.clinicId, t.address, t.kind).nullsNotDistinct()],
);

/** Rule C3: a clinic's own subject and body for a kind of message; no row means the default. */
export const messageTemplates = pgTable(
  "message_templates",
  {
    clinicId: uuid()
      .notNull()
      .references(() => clinics.id, { onDelete: "cascade" }),
    kind: text().notNull(),
    subject: text().notNull(),
    body: text().notNull(),
    updatedById: uuid().references(() => users.id, { onDelete: "set null" }),
    updatedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.kind] })],
);

/** Staff notifications each member chose (the flagged-referral alert, the digests); no row means the default. */
export const staffNotificationChoices = pgTable(
  "staff_notification_choices",
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text().notNull(),
    enabled: boolean().notNull(),
    updatedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);

export const ACCOUNT_TOKEN_PURPOSES = ["verify_email", "reset_password"] as const;
export const accountTokenPurposeEnum = pgEnum("account_token_purpose", ACCOUNT_TOKEN_PURPOSES);

/** Single-use links sent to an account's address; only the token's hash is kept. */
export const accountTokens = pgTable(
  "account_tokens",
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: accountTokenPurposeEnum().notNull(),
    tokenHash: text().notNull().unique(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("account_tokens_user_idx").on(t.userId, t.purpose)],
);

/** Fixed-window counters shared by every app instance; one atomic upsert per hit. */
export const rateLimits = pgTable(
  "rate_limits",
  {
    key: text().notNull(),
    windowStart: timestamp({ withTimezone: true }).notNull(),
    hits: integer().notNull().default(1),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] }), index("rate_limits_window_idx").on(t.windowStart)],
);
