import { boolean, check, index, integer, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { clinics } from "./clinics";
import { createdAt, id, timestamps } from "./columns";
import { users } from "./users";

/**
 * Rule P8: how a clinic's loyalty points turn into credit: `points` points buy `creditCents`,
 * in whole blocks, from `minimumPoints` up. Off until the clinic sets it.
 */
export const pointConversionSettings = pgTable(
  "point_conversion_settings",
  {
    clinicId: uuid()
      .primaryKey()
      .references(() => clinics.id, { onDelete: "cascade" }),
    enabled: boolean().notNull().default(false),
    points: integer().notNull(),
    creditCents: integer().notNull(),
    minimumPoints: integer().notNull(),
    ...timestamps,
  },
  (t) => [
    check("point_conversion_positive", sql`${t.points} > 0 and ${t.creditCents} > 0`),
    check("point_conversion_minimum", sql`${t.minimumPoints} >= ${t.points}`),
  ],
);

/**
 * Rule N2: one row per conversion a patient asked for, keyed by the form's idempotency key, so a
 * double-submitted conversion converts once. Its two ledger entries share its transaction.
 */
export const pointConversions = pgTable(
  "point_conversions",
  {
    id: id(),
    clinicId: uuid()
      .notNull()
      .references(() => clinics.id, { onDelete: "cascade" }),
    patientId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    points: integer().notNull(),
    creditCents: integer().notNull(),
    idempotencyKey: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("point_conversions_key").on(t.patientId, t.idempotencyKey),
    index("point_conversions_clinic_idx").on(t.clinicId, t.createdAt),
    check("point_conversions_positive", sql`${t.points} > 0 and ${t.creditCents} > 0`),
  ],
);
