import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { clinics } from "./clinics";
import { domainEvents } from "./domain-events";
import { createdAt, id, timestamps } from "./columns";

export const WEBHOOK_ENDPOINT_STATUSES = ["active", "paused", "disabled"] as const;
export const webhookEndpointStatusEnum = pgEnum("webhook_endpoint_status", WEBHOOK_ENDPOINT_STATUSES);

export const WEBHOOK_DELIVERY_STATUSES = ["pending", "succeeded", "failed"] as const;
export const webhookDeliveryStatusEnum = pgEnum("webhook_delivery_status", WEBHOOK_DELIVERY_STATUSES);

/**
 * Rule A4: an endpoint an admin registered to receive the clinic's domain events (or, with no
 * clinic, the platform's partner-program events), signed with its own `whsec_` secret. Secrets
 * are sealed with ENCRYPTION_KEY; after a rotation the previous one keeps signing for 24 hours.
 */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: id(),
    /** Null: a platform admin's endpoint for the partner program's events. */
    clinicId: uuid().references(() => clinics.id, { onDelete: "cascade" }),
    url: text().notNull(),
    /** Event type names from the catalog, or ["*"] for every event. */
    events: text().array().notNull(),
    description: text().notNull().default(""),
    status: webhookEndpointStatusEnum().notNull().default("active"),
    /** Why it was disabled: "gone" (HTTP 410), "failing" (too many failures in a row) or "admin". */
    disabledReason: text(),
    /** Rule N3: names, emails and phones go only to an endpoint whose admin ticked this (audited). */
    mayReceiveContactDetails: boolean().notNull().default(false),
    secretSealed: text().notNull(),
    previousSecretSealed: text(),
    previousSecretExpiresAt: timestamp({ withTimezone: true }),
    consecutiveFailures: integer().notNull().default(0),
    /** Set by the REST-hooks subscribe call (an API key), so its unsubscribe removes only its own. */
    createdByApiKeyId: uuid(),
    ...timestamps,
  },
  (t) => [
    index("webhook_endpoints_clinic_idx").on(t.clinicId, t.createdAt),
    index("webhook_endpoints_platform_idx").on(t.createdAt).where(sql`${t.clinicId} is null`),
    check("webhook_endpoints_events_not_empty", sql`cardinality(${t.events}) > 0`),
    check("webhook_endpoints_failures", sql`${t.consecutiveFailures} >= 0`),
  ],
);

/**
 * One message to one endpoint: a domain event (or a test event), its `webhook-id`, which every
 * attempt and every resend keeps, and where its attempts stand.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: id(),
    clinicId: uuid().references(() => clinics.id, { onDelete: "cascade" }),
    endpointId: uuid()
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    /** Null for a test event. */
    eventId: uuid().references(() => domainEvents.id, { onDelete: "cascade" }),
    eventType: text().notNull(),
    /** The `webhook-id` header: the receiver's deduplication key, the same on every attempt and resend. */
    messageId: text().notNull(),
    /** What a test event carries (a domain event's payload is read from the event log). */
    testData: jsonb().$type<Record<string, unknown>>(),
    status: webhookDeliveryStatusEnum().notNull().default("pending"),
    attempts: integer().notNull().default(0),
    lastStatusCode: integer(),
    lastLatencyMs: integer(),
    lastResponseExcerpt: text(),
    lastError: text(),
    nextAttemptAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    // One delivery per event and endpoint, however often the fan-out job runs.
    uniqueIndex("webhook_deliveries_event_endpoint_unique").on(t.endpointId, t.eventId),
    uniqueIndex("webhook_deliveries_message_unique").on(t.messageId),
    index("webhook_deliveries_endpoint_time_idx").on(t.endpointId, t.createdAt),
    index("webhook_deliveries_clinic_time_idx").on(t.clinicId, t.createdAt),
    index("webhook_deliveries_event_idx").on(t.eventId),
  ],
);

/** Every HTTP attempt of a delivery: the delivery log's detail (status code, latency, response excerpt). */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: id(),
    deliveryId: uuid()
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    attempt: integer().notNull(),
    statusCode: integer(),
    latencyMs: integer().notNull(),
    /** The first 500 characters of the answer, or why there was none (timeout, refused address). */
    responseExcerpt: text(),
    error: text(),
    succeeded: boolean().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("webhook_attempts_delivery_idx").on(t.deliveryId, t.createdAt)],
);
