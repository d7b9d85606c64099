import { index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { clinics } from "./clinics";
import { id, timestamps } from "./columns";
import { programVersions, rewardKindEnum } from "./program-versions";
import { referrals } from "./referrals";
import { users } from "./users";

export const REWARD_SIDES = ["referrer", "referee", "milestone"] as const;
export const rewardSideEnum = pgEnum("reward_side", REWARD_SIDES);

export const REWARD_STATUSES = ["held", "released", "withheld", "reversed"] as const;
export const rewardStatusEnum = pgEnum("reward_status", REWARD_STATUSES);

/**
 * What a qualified referral earned, per side (rules P7, P8, P10, P11): released into the
 * ledger, held for review (P6), withheld with the reason (P10, caps), or reversed (P13).
 */
export const rewards = pgTable(
  "rewards",
  {
    id: id(),
    clinicId: uuid()
      .notNull()
      .references(() => clinics.id, { onDelete: "cascade" }),
    patientId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    referralId: uuid()
      .notNull()
      .references(() => referrals.id, { onDelete: "cascade" }),
    programVersionId: uuid()
      .notNull()
      .references(() => programVersions.id),
    side: rewardSideEnum().notNull(),
    milestoneThreshold: integer(),
    kind: rewardKindEnum().notNull(),
    /** Cents for credit, points for points, percent for a discount. */
    amount: integer().notNull(),
    status: rewardStatusEnum().notNull(),
    statusReason: text(),
    releasedAt: timestamp({ withTimezone: true }),
    expiresAt: timestamp({ withTimezone: true }),
    remindAt: timestamp({ withTimezone: true }),
    remindedAt: timestamp({ withTimezone: true }),
    /** A percent discount is used once, by this order. */
    usedByOrderId: uuid(),
    ...timestamps,
  },
  (t) => [
    // Rule P7: one reward per referral and side, however often the event arrives.
    uniqueIndex("rewards_one_per_side").on(t.referralId, t.side).where(sql`${t.side} <> 'milestone'`),
    // Rule P11: each milestone is paid once per referrer; a withheld or reversed one can be earned again.
    uniqueIndex("rewards_one_live_milestone")
      .on(t.patientId, t.milestoneThreshold)
      .where(sql`${t.side} = 'milestone' and ${t.status} in ('held', 'released')`),
    index("rewards_patient_idx").on(t.patientId, t.status),
    index("rewards_referral_idx").on(t.referralId),
    index("rewards_clinic_time_idx").on(t.clinicId, t.createdAt),
    index("rewards_version_idx").on(t.programVersionId),
    index("rewards_expiry_idx").on(t.expiresAt).where(sql`${t.status} = 'released'`),
  ],
);
