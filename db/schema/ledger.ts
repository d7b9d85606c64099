import { check, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { clinics } from "./clinics";
import { creditReservations } from "./api";
import { createdAt, id } from "./columns";
import { orders } from "./orders";
import { rewards } from "./rewards";
import { users } from "./users";

export const LEDGER_UNITS = ["credit", "points"] as const;
export const ledgerUnitEnum = pgEnum("ledger_unit", LEDGER_UNITS);

export const LEDGER_KINDS = ["grant", "adjustment", "redemption", "redemption_release", "expiry", "reversal"] as const;
export const ledgerKindEnum = pgEnum("ledger_kind", LEDGER_KINDS);

/**
 * Rule N2: the append-only ledger of credit (cents) and points. A balance is the sum of a
 * holder's entries. Value enters as grants (a released reward, or a positive adjustment) and
 * leaves by draws that name the grant they take from, so each grant's remaining value is
 * known and the soonest-expiring is used first (P9). Triggers refuse edits and overdraws.
 */
export const creditLedger = pgTable(
  "credit_ledger",
  {
    id: id(),
    clinicId: uuid()
      .notNull()
      .references(() => clinics.id, { onDelete: "cascade" }),
    patientId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    unit: ledgerUnitEnum().notNull().default("credit"),
    kind: ledgerKindEnum().notNull(),
    amountCents: integer().notNull(),
    /** For draws and releases: the grant the value came from. */
    grantId: uuid().references((): AnyPgColumn => creditLedger.id),
    rewardId: uuid().references(() => rewards.id),
    orderId: uuid().references(() => orders.id),
    /** Rule A7: the checkout reservation a draw holds credit for, and its release. */
    reservationId: uuid().references(() => creditReservations.id),
    actorId: uuid().references(() => users.id),
    expiresAt: timestamp({ withTimezone: true }),
    memo: text().notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [
    index("credit_ledger_patient_idx").on(t.patientId, t.createdAt),
    index("credit_ledger_clinic_time_idx").on(t.clinicId, t.createdAt),
    index("credit_ledger_grant_idx").on(t.grantId),
    index("credit_ledger_order_idx").on(t.orderId),
    index("credit_ledger_reservation_idx").on(t.reservationId),
    index("credit_ledger_actor_idx").on(t.actorId),
    // Rule P7: a reward enters the ledger once.
    uniqueIndex("credit_ledger_one_grant_per_reward").on(t.rewardId).where(sql`${t.kind} = 'grant'`),
    check(
      "credit_ledger_sign_matches_kind",
      sql`(${t.kind} = 'grant' and ${t.amountCents} > 0 and ${t.grantId} is null and ${t.rewardId} is not null)
        or (${t.kind} = 'adjustment' and ${t.amountCents} > 0 and ${t.grantId} is null)
        or (${t.kind} in ('adjustment', 'redemption', 'expiry', 'reversal') and ${t.amountCents} < 0 and ${t.grantId} is not null)
        or (${t.kind} = 'redemption_release' and ${t.amountCents} > 0 and ${t.grantId} is not null)`,
    ),
  ],
);

/**
 * Rule C4 and N2: a manual adjustment, once per idempotency key (a double-submitted form
 * credits once). The staff member's reason stays here and in the audit log; the ledger
 * entries it writes carry a neutral memo, since the patient reads those.
 */
export const balanceAdjustments = pgTable(
  "balance_adjustments",
  {
    id: id(),
    clinicId: uuid()
      .notNull()
      .references(() => clinics.id, { onDelete: "cascade" }),
    patientId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    actorId: uuid()
      .notNull()
      .references(() => users.id),
    unit: ledgerUnitEnum().notNull(),
    /** Signed: cents or points added (positive) or removed (negative). */
    amount: integer().notNull(),
    reason: text().notNull(),
    idempotencyKey: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("balance_adjustments_idempotency_unique").on(t.clinicId, t.idempotencyKey),
    index("balance_adjustments_patient_idx").on(t.patientId),
    index("balance_adjustments_actor_idx").on(t.actorId),
  ],
);
