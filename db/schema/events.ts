import { index, integer, jsonb, pgEnum, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { clinics } from "./clinics";
import { createdAt, id } from "./columns";
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
 * landing writes one row and the activity log pages through one index.
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
    createdAt: createdAt(),
  },
  (t) => [
    index("activity_events_clinic_time_idx").on(t.clinicId, t.createdAt.desc(), t.id.desc()),
    index("activity_events_clinic_type_time_idx").on(t.clinicId, t.type, t.createdAt),
    index("activity_events_patient_time_idx").on(t.patientId, t.createdAt),
    index("activity_events_referral_idx").on(t.referralId),
    index("activity_events_code_idx").on(t.codeId),
    index("activity_events_actor_idx").on(t.actorId),
  ],
);
