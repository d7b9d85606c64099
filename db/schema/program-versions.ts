import { check, index, integer, jsonb, pgEnum, pgTable, text, uniqueIndex, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { clinics } from "./clinics";
import { createdAt, id } from "./columns";
import { users } from "./users";

export const REWARD_KINDS = ["credit", "points", "percent"] as const;
export const rewardKindEnum = pgEnum("reward_kind", REWARD_KINDS);

export const QUALIFYING_EVENTS = ["first_paid_order", "first_booked_appointment", "first_attended_appointment"] as const;
export const qualifyingEventEnum = pgEnum("qualifying_event", QUALIFYING_EVENTS);

export const OVER_CAP_ACTIONS = ["points", "withhold"] as const;
export const overCapActionEnum = pgEnum("over_cap_action", OVER_CAP_ACTIONS);

export type Milestone = { threshold: number; kind: (typeof REWARD_KINDS)[number]; amount: number };

/**
 * Rule P14: the program's settings, one immutable row per change. A referral points at the
 * version in force when it was made, so later changes never alter what it earns.
 */
export const programVersions = pgTable(
  "program_versions",
  {
    id: id(),
    clinicId: uuid()
      .notNull()
      .references(() => clinics.id, { onDelete: "cascade" }),
    version: integer().notNull(),
    // Rule P8: per side, a money credit (cents), loyalty points, or a percent off the next order.
    referrerRewardKind: rewardKindEnum().notNull().default("credit"),
    referrerRewardAmount: integer().notNull().default(5000),
    refereeRewardKind: rewardKindEnum().notNull().default("credit"),
    refereeRewardAmount: integer().notNull().default(3000),
    qualifyingEvent: qualifyingEventEnum().notNull().default("first_paid_order"),
    attributionWindowDays: integer().notNull().default(30),
    // Rule P10: null means no limit.
    maxRewardedPerYear: integer(),
    maxRewardedLifetime: integer(),
    maxRewardValuePerYearCents: integer(),
    // Rule P11.
    milestones: jsonb().$type<Milestone[]>().notNull().default([]),
    // Rule P12: null means rewards never expire.
    rewardExpiryDays: integer(),
    expiryReminderDays: integer().notNull().default(14),
    // Rule P13: days after the qualifying order in which a refund reverses unredeemed rewards.
    holdDays: integer().notNull().default(0),
    learnMoreUrl: text(),
    // Rule P14: patients accept this text; its number moves only when the text changes.
    termsVersion: integer().notNull().default(1),
    termsText: text().notNull().default(""),
    // Rule P6: more referrals than this by one referrer in 24 hours are flagged.
    velocityLimitPerDay: integer().notNull().default(5),
    // Beneficiary-inducement guardrail for patients whose care a government program pays.
    governmentItemCapCents: integer().notNull().default(1500),
    governmentYearCapCents: integer().notNull().default(7500),
    governmentOverCapAction: overCapActionEnum().notNull().default("withhold"),
    createdById: uuid().references((): AnyPgColumn => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("program_versions_clinic_version_unique").on(t.clinicId, t.version),
    index("program_versions_created_by_idx").on(t.createdById),
    check(
      "program_versions_amounts_valid",
      sql`${t.referrerRewardAmount} >= 0 and ${t.refereeRewardAmount} >= 0
        and (${t.referrerRewardKind} <> 'percent' or ${t.referrerRewardAmount} <= 100)
        and (${t.refereeRewardKind} <> 'percent' or ${t.refereeRewardAmount} <= 100)`,
    ),
    check("program_versions_window_valid", sql`${t.attributionWindowDays} between 1 and 365`),
    check("program_versions_hold_valid", sql`${t.holdDays} between 0 and 365`),
  ],
);

export const termsAcceptances = pgTable(
  "terms_acceptances",
  {
    id: id(),
    clinicId: uuid()
      .notNull()
      .references(() => clinics.id, { onDelete: "cascade" }),
    patientId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    termsVersion: integer().notNull(),
    acceptedAt: createdAt(),
  },
  (t) => [uniqueIndex("terms_acceptances_once").on(t.patientId, t.termsVersion), index("terms_acceptances_clinic_idx").on(t.clinicId)],
);

