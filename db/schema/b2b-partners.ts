import { boolean, check, date, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, unique, uniqueIndex, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { b2bCustomers, practiceCountryEnum } from "./b2b-crm";
import { createdAt, id, timestamps } from "./columns";
import { domainEvents } from "./domain-events";
import { users } from "./users";

export const REWARD_PLANS = ["flat_credit", "recurring_share"] as const;
export const rewardPlanEnum = pgEnum("b2b_reward_plan", REWARD_PLANS);

export const PROGRAM_AUDIENCES = ["anyone", "customers_only"] as const;
export const programAudienceEnum = pgEnum("b2b_program_audience", PROGRAM_AUDIENCES);

/** The one partner program the platform runs (rule B4); a single row, id 1. */
export const b2bProgram = pgTable(
  "b2b_program",
  {
    id: integer().primaryKey().default(1),
    rewardPlan: rewardPlanEnum().notNull().default("recurring_share"),
    flatCreditCents: integer().notNull().default(50_000),
    /** Basis points: 1000 is 10%. */
    shareBasisPoints: integer().notNull().default(1_000),
    shareMonths: integer().notNull().default(24),
    audience: programAudienceEnum().notNull().default("anyone"),
    termsVersion: text().notNull().default("2026-01"),
    ...timestamps,
  },
  (t) => [
    check("b2b_program_single_row", sql`${t.id} = 1`),
    check("b2b_program_amounts_valid", sql`${t.flatCreditCents} >= 0 and ${t.shareBasisPoints} between 0 and 10000 and ${t.shareMonths} between 1 and 120`),
  ],
);

/** A person who refers practices, known by their mailbox; their status link shows their referrals only (rule B5). */
export const partnerReferrers = pgTable(
  "partner_referrers",
  {
    id: id(),
    email: text().notNull(),
    name: text().notNull(),
    phoneE164: text("phone_e164").notNull(),
    organization: text().notNull(),
    /** The referring practice as a customer, which the flat credit is applied to (rule B4). */
    customerId: uuid().references(() => b2bCustomers.id, { onDelete: "set null" }),
    /** Null until the mailbox owner proves the address: until then the profile owns no payouts (rule B5). */
    emailVerifiedAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [uniqueIndex("partner_referrers_email_unique").on(t.email), index("partner_referrers_customer_idx").on(t.customerId)],
);

/** A `referrer` link (only ever emailed) shows all of a referrer's referrals; a `submission` link (the confirmation's) shows one. */
export const STATUS_TOKEN_SCOPES = ["referrer", "submission"] as const;
export const statusTokenScopeEnum = pgEnum("partner_status_token_scope", STATUS_TOKEN_SCOPES);

/** Rule B5: status links are stored only as hashes; every link sent stays valid. */
export const partnerStatusTokens = pgTable(
  "partner_status_tokens",
  {
    tokenHash: text().primaryKey(),
    referrerId: uuid()
      .notNull()
      .references(() => partnerReferrers.id, { onDelete: "cascade" }),
    scope: statusTokenScopeEnum().notNull().default("referrer"),
    /** The submission a link was issued for: the one a `submission` link shows. */
    referralId: uuid().references((): AnyPgColumn => b2bReferrals.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [
    index("partner_status_tokens_referrer_idx").on(t.referrerId),
    index("partner_status_tokens_referral_idx").on(t.referralId),
    check("partner_status_tokens_submission_has_referral", sql`${t.scope} <> 'submission' or ${t.referralId} is not null`),
  ],
);

export const B2B_REFERRAL_STATUSES = ["submitted", "under_review", "accepted", "rejected", "duplicate", "won", "lost", "expired"] as const;
export const b2bReferralStatusEnum = pgEnum("b2b_referral_status", B2B_REFERRAL_STATUSES);

export const SCREENING_FLAG_KINDS = ["existing_customer", "previous_customer", "active_prospect", "already_referred", "out_of_area", "same_email_domain"] as const;
export type ScreeningFlag = { kind: (typeof SCREENING_FLAG_KINDS)[number]; evidence: string };

/** A practice referred to the platform (rules B1-B3), with the reward terms in force when it was made. */
export const b2bReferrals = pgTable(
  "b2b_referrals",
  {
    id: id(),
    referrerId: uuid()
      .notNull()
      .references(() => partnerReferrers.id),
    referrerName: text().notNull(),
    referrerEmail: text().notNull(),
    referrerPhone: text().notNull(),
    referrerOrganization: text().notNull(),
    relationship: text().notNull(),
    practiceName: text().notNull(),
    contactName: text().notNull(),
    practiceEmail: text().notNull(),
    practicePhone: text().notNull(),
    website: text(),
    addressLine: text().notNull(),
    city: text().notNull(),
    region: text().notNull(),
    postalCode: text().notNull(),
    country: practiceCountryEnum().notNull(),
    status: b2bReferralStatusEnum().notNull().default("submitted"),
    /** Rule B2: a later submission of the same practice points at the first one. */
    duplicateOfId: uuid().references((): AnyPgColumn => b2bReferrals.id),
    flags: jsonb().$type<ScreeningFlag[]>().notNull().default([]),
    rejectionReason: text(),
    ageConfirmed: boolean().notNull(),
    noConflictDeclared: boolean().notNull(),
    termsVersion: text().notNull(),
    rewardPlan: rewardPlanEnum().notNull(),
    flatCreditCents: integer().notNull(),
    shareBasisPoints: integer().notNull(),
    shareMonths: integer().notNull(),
    contractStart: date({ mode: "string" }),
    launchDate: date({ mode: "string" }),
    plan: text(),
    monthlyFeeCents: integer(),
    contractEnd: date({ mode: "string" }),
    lostReason: text(),
    decidedAt: timestamp({ withTimezone: true }),
    ipHash: text(),
    /** Rule N2: a double click or a retried request makes one submission. */
    idempotencyKey: text().notNull(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("b2b_referrals_idempotency_unique").on(t.idempotencyKey),
    // The target of the rewards' (referral, plan) key: a reward can only be of its referral's plan (rule B4).
    unique("b2b_referrals_id_plan_unique").on(t.id, t.rewardPlan),
    index("b2b_referrals_referrer_idx").on(t.referrerId, t.createdAt),
    index("b2b_referrals_status_idx").on(t.status, t.createdAt),
    index("b2b_referrals_duplicate_idx").on(t.duplicateOfId),
    check("b2b_referrals_declarations", sql`${t.ageConfirmed} and ${t.noConflictDeclared}`),
    check("b2b_referrals_duplicate_status", sql`(${t.status} = 'duplicate') = (${t.duplicateOfId} is not null)`),
    check("b2b_referrals_rejection_reason", sql`${t.status} <> 'rejected' or ${t.rejectionReason} is not null`),
    check(
      "b2b_referrals_won_has_contract",
      sql`${t.status} not in ('won') or (${t.contractStart} is not null and ${t.launchDate} is not null and ${t.monthlyFeeCents} >= 0)`,
    ),
  ],
);

export const IDENTITY_KINDS = ["domain", "phone", "name_postal"] as const;
export const identityKindEnum = pgEnum("practice_identity_kind", IDENTITY_KINDS);

/**
 * Rule B2: each normalized identity of a practice belongs to the first referral that claimed it.
 * The primary key is what makes "first wins" hold at the same instant.
 */
export const practiceIdentities = pgTable(
  "practice_identities",
  {
    kind: identityKindEnum().notNull(),
    value: text().notNull(),
    referralId: uuid()
      .notNull()
      .references(() => b2bReferrals.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.value] }), index("practice_identities_referral_idx").on(t.referralId)],
);

/**
 * Who did what to a referral: the projection `emit` writes of each partner-program domain event,
 * in the same transaction as the change (server/events/projections.ts). `kind` is derived from the
 * event's type, never typed by hand.
 */
export const b2bEvents = pgTable(
  "b2b_events",
  {
    id: id(),
    referralId: uuid().references(() => b2bReferrals.id, { onDelete: "cascade" }),
    actorId: uuid().references(() => users.id),
    kind: text().notNull(),
    detail: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** The domain event this row projects (null for rows written before the event log). */
    eventId: uuid().references(() => domainEvents.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [index("b2b_events_referral_idx").on(t.referralId, t.createdAt), index("b2b_events_event_idx").on(t.eventId)],
);
