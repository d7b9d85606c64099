import { clinics } from "./clinics";
import { index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { b2bReferrals, partnerReferrers } from "./b2b-partners";
import { createdAt, id } from "./columns";

export const OUTBOX_STATUSES = ["pending", "sent", "failed"] as const;
export const outboxStatusEnum = pgEnum("outbox_status", OUTBOX_STATUSES);

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
    createdAt: createdAt(),
  },
  (t) => [index("outbox_messages_time_idx").on(t.createdAt), index("outbox_messages_clinic_idx").on(t.clinicId), index("outbox_messages_referral_idx").on(t.referralId), index("outbox_messages_referrer_idx").on(t.referrerId)],
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
