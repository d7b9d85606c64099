import { date, index, integer, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { clinics } from "./clinics";
import { timestamps } from "./columns";
import { users } from "./users";

/**
 * Rule C1: the dashboard's numbers per clinic, local day (the clinic's zone) and channel, recomputed whole for each
 * completed day so the dashboard never rescans the event log. Clicks carry their channel
 * ("direct" when the link had no `?via=`); everything else is counted under "none".
 */
export const dailyReferralStats = pgTable(
  "daily_referral_stats",
  {
    clinicId: uuid()
      .notNull()
      .references(() => clinics.id, { onDelete: "cascade" }),
    day: date({ mode: "string" }).notNull(),
    channel: text().notNull(),
    clicks: integer().notNull().default(0),
    signUps: integer().notNull().default(0),
    qualified: integer().notNull().default(0),
    rewardsIssuedCents: integer().notNull().default(0),
    rewardsRedeemedCents: integer().notNull().default(0),
    revenueCents: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.day, t.channel] })],
);

/** Rule C1: qualified referrals per referrer and day, for the leaderboard. */
export const dailyReferrerStats = pgTable(
  "daily_referrer_stats",
  {
    clinicId: uuid()
      .notNull()
      .references(() => clinics.id, { onDelete: "cascade" }),
    day: date({ mode: "string" }).notNull(),
    referrerId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    qualified: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.day, t.referrerId] }), index("daily_referrer_stats_referrer_idx").on(t.referrerId)],
);

/** Rule C1: each referrer's qualified referrals over every stored day, so the all-time leaderboard reads ten rows. */
export const referrerTotals = pgTable(
  "referrer_totals",
  {
    clinicId: uuid()
      .notNull()
      .references(() => clinics.id, { onDelete: "cascade" }),
    referrerId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    qualified: integer().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.referrerId] }),
    index("referrer_totals_rank_idx").on(t.clinicId, t.qualified.desc(), t.referrerId),
    index("referrer_totals_referrer_idx").on(t.referrerId),
  ],
);

/**
 * How far each clinic's daily stats are complete. Its row lock is what lets several app
 * instances roll up at once: one works, the others wait and then find nothing to do.
 */
export const statsRollups = pgTable("stats_rollups", {
  clinicId: uuid()
    .primaryKey()
    .references(() => clinics.id, { onDelete: "cascade" }),
  /** The last local day (clinic zone) whose stats are stored; null before the first rollup. */
  rolledUpThrough: date({ mode: "string" }),
  ...timestamps,
});
