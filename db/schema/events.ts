import { index, integer, jsonb, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { clinics } from "./clinics";
import { createdAt, id } from "./columns";
import { domainEvents } from "./domain-events";
import { referralCodes, referrals } from "./referrals";
import { users } from "./users";

export const CLICK_CHANNELS = ["sms", "email", "qr", "copy", "share", "other"] as const;
export const clickChannelEnum = pgEnum("click_channel", CLICK_CHANNELS);

/** Rule C2: every kind of referral event, in one timeline. */
export const EVENT_TYPES = [
  "click",
  "sign_up",
  "flag",
  "approval",
  "rejection",
  "qualification",
  "reward",
  "redemption",
  "adjustment",
  "override",
  "reversal",
  "expiry",
  "code_rotation",
] as const;
export const eventTypeEnum = pgEnum("event_type", EVENT_TYPES);

/**
 * Append-only referral activity (rules C1, C2, P4). A click is an event like any other, so the
 * landing writes one row and the activity log pages through one index. Every other row is the
 * projection `emit` writes of a domain event, in its transaction (server/events/projections.ts);
 * clicks are analytics and stay on their own fast path.
 */
export const activityEvents = pgTable(
  "activity_events",
  {
    id: id(),
    clinicId: uuid()
      .notNull()
      .references(() => clinics.id, { onDelete: "cascade" }),
    type: eventTypeEnum().notNull(),
    /** The patient the event is about (the referrer for clicks). */
    patientId: uuid().references(() => users.id, { onDelete: "cascade" }),
    referralId: uuid().references(() => referrals.id, { onDelete: "cascade" }),
    codeId: uuid().references(() => referralCodes.id, { onDelete: "cascade" }),
    /** The staff member who acted, for manual actions. */
    actorId: uuid().references(() => users.id),
    channel: clickChannelEnum(),
    utmSource: text(),
    utmMedium: text(),
    utmCampaign: text(),
    /** Rule N3: keyed hashes only, never a raw address. */
    ipHash: text(),
    userAgent: text(),
    amountCents: integer(),
    detail: jsonb().$type<Record<string, string | number | boolean | null>>(),
    /** The domain event this row projects; null for clicks. */
    eventId: uuid().references(() => domainEvents.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [
    // Ascending: Postgres walks it backwards for newest-first, with the default null order.
    index("activity_events_clinic_time_idx").on(t.clinicId, t.createdAt, t.id),
    index("activity_events_clinic_type_time_idx").on(t.clinicId, t.type, t.createdAt),
    index("activity_events_patient_time_idx").on(t.patientId, t.createdAt),
    // Partial: a click (most rows) has no referral or actor, so it skips these two indexes.
    index("activity_events_referral_idx").on(t.referralId).where(sql`${t.referralId} is not null`),
    index("activity_events_code_idx").on(t.codeId),
    index("activity_events_actor_idx").on(t.actorId).where(sql`${t.actorId} is not null`),
    index("activity_events_event_idx").on(t.eventId).where(sql`${t.eventId} is not null`),
  ],
);

/**
 * Rule P6: where a patient was seen recently, as keyed hashes of the IP and of a first-party
 * device cookie, to flag a referee who signs up from the referrer's own network or device.
 */
export const deviceSightings = pgTable(
  "device_sightings",
  {
    id: id(),
    clinicId: uuid()
      .notNull()
      .references(() => clinics.id, { onDelete: "cascade" }),
    patientId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    ipHash: text().notNull().default(""),
    deviceHash: text().notNull().default(""),
    seenAt: createdAt(),
  },
  (t) => [
    uniqueIndex("device_sightings_unique").on(t.patientId, t.ipHash, t.deviceHash),
    index("device_sightings_ip_idx").on(t.clinicId, t.ipHash, t.seenAt),
    index("device_sightings_device_idx").on(t.clinicId, t.deviceHash, t.seenAt),
  ],
);
