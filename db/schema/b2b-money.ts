import { check, date, foreignKey, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { b2bReferrals, partnerReferrers, rewardPlanEnum } from "./b2b-partners";
import { createdAt, id } from "./columns";
import { users } from "./users";

export const PAYMENT_KINDS = ["maintenance", "other"] as const;
export const b2bPaymentKindEnum = pgEnum("b2b_payment_kind", PAYMENT_KINDS);

/** Money the platform received from a referred customer; rewards are paid only from these (rule B4). */
export const b2bPayments = pgTable(
  "b2b_payments",
  {
    id: id(),
    referralId: uuid()
      .notNull()
      .references(() => b2bReferrals.id),
    kind: b2bPaymentKindEnum().notNull().default("maintenance"),
    amountCents: integer().notNull(),
    receivedOn: date({ mode: "string" }).notNull(),
    periodStart: date({ mode: "string" }).notNull(),
    periodEnd: date({ mode: "string" }).notNull(),
    /** Rule N2: the same payment recorded twice is one payment. */
    idempotencyKey: text().notNull(),
    recordedById: uuid().references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("b2b_payments_idempotency_unique").on(t.idempotencyKey),
    index("b2b_payments_referral_idx").on(t.referralId, t.receivedOn),
    check("b2b_payments_amount_positive", sql`${t.amountCents} > 0`),
    check("b2b_payments_period_valid", sql`${t.periodEnd} >= ${t.periodStart}`),
  ],
);

export const SETTLEMENTS = ["invoice_credit", "refund", "payout"] as const;
export const settlementEnum = pgEnum("b2b_settlement", SETTLEMENTS);

/**
 * Rule B4 and N2: the append-only reward ledger. A reward carries its referral's plan and the
 * composite foreign key holds it to that plan, so one practice never earns under two plans;
 * partial unique indexes make one flat credit per practice and one share per payment.
 */
export const b2bRewards = pgTable(
  "b2b_rewards",
  {
    id: id(),
    referralId: uuid().notNull(),
    plan: rewardPlanEnum().notNull(),
    referrerId: uuid()
      .notNull()
      .references(() => partnerReferrers.id),
    paymentId: uuid().references(() => b2bPayments.id),
    amountCents: integer().notNull(),
    settlement: settlementEnum().notNull(),
    /** The payout month is the month this falls in (rule B6). */
    earnedOn: date({ mode: "string" }).notNull(),
    /** For an invoice credit: the referrer's billing date it applies to. */
    applyOn: date({ mode: "string" }),
    memo: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ name: "b2b_rewards_referral_plan_fk", columns: [t.referralId, t.plan], foreignColumns: [b2bReferrals.id, b2bReferrals.rewardPlan] }),
    uniqueIndex("b2b_rewards_one_flat_per_practice").on(t.referralId).where(sql`${t.plan} = 'flat_credit'`),
    uniqueIndex("b2b_rewards_one_share_per_payment").on(t.paymentId).where(sql`${t.plan} = 'recurring_share'`),
    index("b2b_rewards_referrer_idx").on(t.referrerId, t.earnedOn),
    index("b2b_rewards_earned_idx").on(t.earnedOn),
    check("b2b_rewards_amount_positive", sql`${t.amountCents} > 0`),
    check("b2b_rewards_share_has_payment", sql`${t.plan} <> 'recurring_share' or ${t.paymentId} is not null`),
  ],
);

export const PAYOUT_RUN_STATUSES = ["draft", "approved"] as const;
export const payoutRunStatusEnum = pgEnum("b2b_payout_run_status", PAYOUT_RUN_STATUSES);

/** Rule B6: one run per month, whoever starts it and however often. */
export const b2bPayoutRuns = pgTable(
  "b2b_payout_runs",
  {
    id: id(),
    month: text().notNull(),
    status: payoutRunStatusEnum().notNull().default("draft"),
    createdById: uuid().references(() => users.id),
    approvedById: uuid().references(() => users.id),
    approvedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("b2b_payout_runs_month_unique").on(t.month), check("b2b_payout_runs_month_format", sql`${t.month} ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`)],
);

export const PAYOUT_ITEM_STATUSES = ["pending", "paid"] as const;
export const payoutItemStatusEnum = pgEnum("b2b_payout_item_status", PAYOUT_ITEM_STATUSES);

export const b2bPayoutItems = pgTable(
  "b2b_payout_items",
  {
    id: id(),
    runId: uuid()
      .notNull()
      .references(() => b2bPayoutRuns.id, { onDelete: "cascade" }),
    referrerId: uuid()
      .notNull()
      .references(() => partnerReferrers.id),
    totalCents: integer().notNull().default(0),
    status: payoutItemStatusEnum().notNull().default("pending"),
    paidReference: text(),
    paidAt: timestamp({ withTimezone: true }),
    paidById: uuid().references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("b2b_payout_items_run_referrer_unique").on(t.runId, t.referrerId),
    index("b2b_payout_items_referrer_idx").on(t.referrerId),
    check("b2b_payout_items_paid_has_reference", sql`${t.status} <> 'paid' or (${t.paidReference} is not null and ${t.paidAt} is not null)`),
  ],
);

/** Rule B6: the primary key on the reward puts each reward in at most one payout item, ever. */
export const b2bPayoutItemRewards = pgTable(
  "b2b_payout_item_rewards",
  {
    rewardId: uuid()
      .primaryKey()
      .references(() => b2bRewards.id),
    itemId: uuid()
      .notNull()
      .references(() => b2bPayoutItems.id, { onDelete: "cascade" }),
    amountCents: integer().notNull(),
  },
  (t) => [index("b2b_payout_item_rewards_item_idx").on(t.itemId)],
);
