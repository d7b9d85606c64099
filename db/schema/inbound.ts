import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { clinics } from "./clinics";
import { createdAt, id, timestamps } from "./columns";

export const INBOUND_PROVIDERS = ["stripe", "calendly", "typeform"] as const;
export const inboundProviderEnum = pgEnum("inbound_provider", INBOUND_PROVIDERS);
export type InboundProvider = (typeof INBOUND_PROVIDERS)[number];

export const INBOUND_EVENT_STATUSES = ["received", "processed", "ignored", "failed"] as const;
export const inboundEventStatusEnum = pgEnum("inbound_event_status", INBOUND_EVENT_STATUSES);

/**
 * Rule A5: where a provider posts its events (`/api/webhooks/{provider}/{id}`), with the signing
 * secret that proves them, sealed with ENCRYPTION_KEY. A bad signature stores nothing but a count.
 */
export const inboundEndpoints = pgTable(
  "inbound_endpoints",
  {
    id: id(),
    /** Null: the platform's (Typeform submissions to the partner program). */
    clinicId: uuid().references(() => clinics.id, { onDelete: "cascade" }),
    provider: inboundProviderEnum().notNull(),
    signingSecretSealed: text().notNull(),
    /** Typeform: which form field (by ref) fills which field of a practice referral (rule B1). */
    fieldMapping: jsonb().$type<Record<string, string>>(),
    badSignatures: integer().notNull().default(0),
    lastBadSignatureAt: timestamp({ withTimezone: true }),
    /** Issue 19: a paused endpoint answers 404 and stores nothing. */
    pausedAt: timestamp({ withTimezone: true }),
    /** Issue 19: after a rotation the old secret keeps verifying until this time (24 hours). */
    previousSecretSealed: text(),
    previousSecretExpiresAt: timestamp({ withTimezone: true }),
    /** Issue 19: deleted endpoints answer 404; the row stays for its events' history. */
    deletedAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [index("inbound_endpoints_clinic_idx").on(t.clinicId, t.createdAt)],
);

/**
 * Rule A5: every verified inbound event as received, with its outcome. The provider's event id is
 * unique per endpoint, so a repeated or concurrent delivery is stored, and processed, once.
 * The raw payload is purged after 30 days; the row and its outcome stay.
 */
export const inboundEvents = pgTable(
  "inbound_events",
  {
    id: id(),
    endpointId: uuid()
      .notNull()
      .references(() => inboundEndpoints.id, { onDelete: "cascade" }),
    clinicId: uuid().references(() => clinics.id, { onDelete: "cascade" }),
    provider: inboundProviderEnum().notNull(),
    providerEventId: text().notNull(),
    type: text().notNull(),
    payload: jsonb().$type<Record<string, unknown>>(),
    status: inboundEventStatusEnum().notNull().default("received"),
    /** What processing did ("order 1a2b… recorded", "no patient with that email"), for the console. */
    outcome: text(),
    attempts: integer().notNull().default(0),
    receivedAt: createdAt(),
    processedAt: timestamp({ withTimezone: true }),
    payloadPurgedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex("inbound_events_provider_event_unique").on(t.endpointId, t.providerEventId),
    index("inbound_events_clinic_time_idx").on(t.clinicId, t.receivedAt),
    index("inbound_events_failed_idx").on(t.clinicId, t.receivedAt).where(sql`${t.status} = 'failed'`),
    index("inbound_events_purge_idx").on(t.receivedAt).where(sql`${t.payload} is not null`),
  ],
);
