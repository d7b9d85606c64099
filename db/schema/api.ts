import { check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { clinics } from "./clinics";
import { createdAt, id, timestamps } from "./columns";
import { orders } from "./orders";
import { rewards } from "./rewards";
import { users } from "./users";

export const API_KEY_SCOPES = ["read", "write"] as const;
export const apiKeyScopeEnum = pgEnum("api_key_scope", API_KEY_SCOPES);

/**
 * A clinic's (or, with no clinic, the platform's) key to the REST API. Only a hash of the secret
 * is kept; the prefix is what the console shows to tell keys apart. Revoked keys stay for the audit.
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: id(),
    /** Null for a platform key (the partner program), made by a platform admin. */
    clinicId: uuid().references(() => clinics.id, { onDelete: "cascade" }),
    name: text().notNull(),
    prefix: text().notNull(),
    /** SHA-256 of the whole key, hex: the key carries 192 random bits, so a slow hash adds nothing. */
    secretHash: text().notNull(),
    scope: apiKeyScopeEnum().notNull(),
    createdById: uuid()
      .notNull()
      .references(() => users.id),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    revokedById: uuid().references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("api_keys_secret_hash_unique").on(t.secretHash),
    uniqueIndex("api_keys_prefix_unique").on(t.prefix),
    index("api_keys_clinic_idx").on(t.clinicId, t.createdAt),
    index("api_keys_created_by_idx").on(t.createdById),
    index("api_keys_revoked_by_idx").on(t.revokedById),
  ],
);

/**
 * Rule N2: an Idempotency-Key sent with a POST, per API key, with a hash of what was asked and
 * the answer given, so a repeat gets the first answer again and another body with the same key
 * is refused. The row is claimed in the transaction of the change: concurrent duplicates wait on
 * it, and exactly one does the work.
 */
export const apiIdempotencyKeys = pgTable(
  "api_idempotency_keys",
  {
    id: id(),
    apiKeyId: uuid()
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    idempotencyKey: text().notNull(),
    /** "POST /api/v1/patients" with the path's ids, and the SHA-256 of the canonical JSON body. */
    operation: text().notNull(),
    requestHash: text().notNull(),
    status: integer().notNull(),
    /** The answer to replay; sealed (`{ sealedReply }`) when it holds a secret or a token (server/api/handle.ts). */
    response: jsonb().$type<unknown>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("api_idempotency_key_unique").on(t.apiKeyId, t.idempotencyKey), index("api_idempotency_time_idx").on(t.createdAt)],
);

export const RESERVATION_STATUSES = ["reserved", "captured", "released", "expired"] as const;
export const reservationStatusEnum = pgEnum("credit_reservation_status", RESERVATION_STATUSES);

/**
 * Rule A7: credit held for an order in the clinic's own checkout. Reserving draws the credit in
 * the ledger at once (so nothing else can spend it, rule P9); a release or an expiry writes it
 * back; a capture only marks it spent. One live reservation per external order reference.
 */
export const creditReservations = pgTable(
  "credit_reservations",
  {
    id: id(),
    clinicId: uuid()
      .notNull()
      .references(() => clinics.id, { onDelete: "cascade" }),
    patientId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The clinic's own order reference; never personal data. */
    externalRef: text().notNull(),
    orderTotalCents: integer().notNull(),
    /** Rule P8: a percent-off reward held for this order, and what it takes off the total. */
    discountRewardId: uuid().references(() => rewards.id),
    discountCents: integer().notNull().default(0),
    amountCents: integer().notNull(),
    status: reservationStatusEnum().notNull().default("reserved"),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    /** The order recorded with this reservation, once one is. */
    orderId: uuid().references(() => orders.id),
    apiKeyId: uuid().references(() => apiKeys.id),
    settledAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("credit_reservations_live_ref_unique").on(t.clinicId, t.externalRef).where(sql`${t.status} in ('reserved', 'captured')`),
    uniqueIndex("credit_reservations_order_unique").on(t.orderId),
    // A discount reward is held by one live reservation at most.
    uniqueIndex("credit_reservations_live_discount_unique").on(t.discountRewardId).where(sql`${t.status} in ('reserved', 'captured')`),
    index("credit_reservations_discount_idx").on(t.discountRewardId),
    index("credit_reservations_patient_idx").on(t.patientId),
    index("credit_reservations_api_key_idx").on(t.apiKeyId),
    index("credit_reservations_open_idx").on(t.expiresAt).where(sql`${t.status} = 'reserved'`),
    check("credit_reservations_amounts", sql`${t.amountCents} >= 0 and ${t.discountCents} >= 0 and ${t.amountCents} + ${t.discountCents} <= ${t.orderTotalCents}`),
  ],
);
