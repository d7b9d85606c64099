import { check, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { clinics } from "./clinics";
import { createdAt, id } from "./columns";
import { orders } from "./orders";
import { referrals } from "./referrals";
import { users } from "./users";

export const LEDGER_KINDS = ["referral_reward", "redemption", "redemption_release"] as const;
export const ledgerKindEnum = pgEnum("ledger_kind", LEDGER_KINDS);

export const REWARD_SIDES = ["referrer", "referee"] as const;
export const rewardSideEnum = pgEnum("reward_side", REWARD_SIDES);

/**
 * Rule N2: the append-only credit ledger. A balance is the sum of a patient's entries.
 * Grants (positive entries) are drawn down by redemptions that point at them, so the
 * remaining value of each grant is known and the soonest-expiring can be used first (P9).
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
    kind: ledgerKindEnum().notNull(),
    amountCents: integer().notNull(),
    /** For draw-downs and releases: the grant the value came from. */
    grantId: uuid().references((): AnyPgColumn => creditLedger.id),
    referralId: uuid().references(() => referrals.id),
    side: rewardSideEnum(),
    orderId: uuid().references(() => orders.id),
    expiresAt: timestamp({ withTimezone: true }),
    memo: text().notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [
    index("credit_ledger_patient_idx").on(t.patientId, t.createdAt),
    index("credit_ledger_clinic_time_idx").on(t.clinicId, t.createdAt),
    index("credit_ledger_grant_idx").on(t.grantId),
    index("credit_ledger_order_idx").on(t.orderId),
    // Rule P7: one reward per referral and side, whatever arrives how often.
    uniqueIndex("credit_ledger_one_reward_per_side")
      .on(t.referralId, t.side)
      .where(sql`${t.kind} = 'referral_reward'`),
    check(
      "credit_ledger_sign_matches_kind",
      sql`(${t.kind} = 'redemption' and ${t.amountCents} < 0 and ${t.grantId} is not null)
        or (${t.kind} = 'redemption_release' and ${t.amountCents} > 0 and ${t.grantId} is not null)
        or (${t.kind} = 'referral_reward' and ${t.amountCents} > 0 and ${t.referralId} is not null and ${t.side} is not null)`,
    ),
  ],
);
