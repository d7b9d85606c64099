import { z } from "zod";
import {
  B2B_REFERRAL_STATUSES,
  BILLING_CYCLES,
  CUSTOMER_STATUSES,
  OUTBOX_STATUSES,
  PAYMENT_KINDS,
  PAYOUT_ITEM_STATUSES,
  PAYOUT_RUN_STATUSES,
  PRACTICE_COUNTRIES,
  PROGRAM_AUDIENCES,
  PROSPECT_STATUSES,
  REWARD_PLANS,
  SCREENING_FLAG_KINDS,
  SETTLEMENTS,
  STATUS_TOKEN_SCOPES,
} from "@/db/schema";
import { timestamp } from "./output-fields";

/**
 * What the platform's partner-program pages are given (item 13 of issue 7): the fields they
 * show, never a whole row (no ip hash, no idempotency key, no event payloads).
 */
const isoDate = z.string();
const status = z.enum(B2B_REFERRAL_STATUSES);
const flags = z.array(z.object({ kind: z.enum(SCREENING_FLAG_KINDS), evidence: z.string() }));

export const queueRowOutput = z.object({
  id: z.uuid(),
  practiceName: z.string(),
  city: z.string(),
  region: z.string(),
  country: z.enum(PRACTICE_COUNTRIES),
  status,
  flags,
  referrerName: z.string(),
  referrerOrganization: z.string(),
  createdAt: z.date(),
});

/** A lifecycle step answers with where the referral now stands. */
export const transitionOutput = z.object({ id: z.uuid(), status });
export const contractOutput = transitionOutput.extend({
  plan: z.string().nullable(),
  monthlyFeeCents: z.number().int().nullable(),
  contractStart: z.string().nullable(),
  launchDate: z.string().nullable(),
  contractEnd: z.string().nullable(),
});

const paymentOutput = z.object({ id: z.uuid(), kind: z.enum(PAYMENT_KINDS), amountCents: z.number().int(), receivedOn: isoDate, periodStart: isoDate, periodEnd: isoDate });

export const referralDetailOutput = z.object({
  referral: z.object({
    id: z.uuid(),
    status,
    createdAt: z.date(),
    decidedAt: z.date().nullable(),
    duplicateOfId: z.uuid().nullable(),
    flags,
    practiceName: z.string(),
    contactName: z.string(),
    practiceEmail: z.string(),
    practicePhone: z.string(),
    website: z.string().nullable(),
    addressLine: z.string(),
    city: z.string(),
    region: z.string(),
    postalCode: z.string(),
    country: z.enum(PRACTICE_COUNTRIES),
    referrerName: z.string(),
    referrerEmail: z.string(),
    referrerPhone: z.string(),
    referrerOrganization: z.string(),
    relationship: z.string(),
    termsVersion: z.string(),
    rewardPlan: z.enum(REWARD_PLANS),
    flatCreditCents: z.number().int(),
    shareBasisPoints: z.number().int(),
    shareMonths: z.number().int(),
    plan: z.string().nullable(),
    monthlyFeeCents: z.number().int().nullable(),
    contractStart: isoDate.nullable(),
    launchDate: isoDate.nullable(),
    contractEnd: isoDate.nullable(),
    rejectionReason: z.string().nullable(),
    lostReason: z.string().nullable(),
  }),
  events: z.array(z.object({ id: z.uuid(), kind: z.string(), createdAt: z.date() })),
  payments: z.array(paymentOutput),
  rewards: z.array(
    z.object({ id: z.uuid(), plan: z.enum(REWARD_PLANS), amountCents: z.number().int(), settlement: z.enum(SETTLEMENTS), earnedOn: isoDate, applyOn: isoDate.nullable(), memo: z.string() }),
  ),
});

export const recordPaymentOutput = z.object({ payment: paymentOutput, replayed: z.boolean() });

const practiceColumns = { id: z.uuid(), name: z.string(), domain: z.string().nullable(), phoneE164: z.string().nullable(), postalCode: z.string(), country: z.enum(PRACTICE_COUNTRIES) };
export const customerOutput = z.object({
  ...practiceColumns,
  status: z.enum(CUSTOMER_STATUSES),
  billingCycle: z.enum(BILLING_CYCLES),
  nextBillingDate: isoDate.nullable(),
  renewalDate: isoDate.nullable(),
});
export const prospectOutput = z.object({ ...practiceColumns, status: z.enum(PROSPECT_STATUSES), owner: z.string() });
export const importOutput = z.object({ imported: z.number().int() });

export const b2bProgramOutput = z.object({
  rewardPlan: z.enum(REWARD_PLANS),
  flatCreditCents: z.number().int(),
  shareBasisPoints: z.number().int(),
  shareMonths: z.number().int(),
  audience: z.enum(PROGRAM_AUDIENCES),
  termsVersion: z.string(),
});

const runOutput = z.object({ id: z.uuid(), month: z.string(), status: z.enum(PAYOUT_RUN_STATUSES), approvedAt: z.date().nullable() });
export const payoutRunsOutput = z.array(runOutput.extend({ totalCents: z.number().int(), itemCount: z.number().int() }));
export const payoutRunOutput = z.object({
  run: runOutput,
  items: z.array(
    z.object({
      id: z.uuid(),
      referrerId: z.uuid(),
      referrerName: z.string(),
      referrerEmail: z.string(),
      organization: z.string(),
      totalCents: z.number().int(),
      status: z.enum(PAYOUT_ITEM_STATUSES),
      paidReference: z.string().nullable(),
      paidAt: z.date().nullable(),
    }),
  ),
});
export const runPayoutsOutput = z.object({ runId: z.uuid(), added: z.number().int() });
export const approveRunOutput = runOutput;
export const markPaidOutput = z.object({ id: z.uuid(), status: z.enum(PAYOUT_ITEM_STATUSES), paidReference: z.string().nullable(), paidAt: z.date().nullable() });
export const payoutLinesOutput = z.array(
  z.object({
    month: z.string(),
    referrerId: z.uuid(),
    referrerName: z.string(),
    referrerEmail: z.string(),
    organization: z.string(),
    practiceName: z.string(),
    plan: z.enum(REWARD_PLANS),
    settlement: z.enum(SETTLEMENTS),
    earnedOn: isoDate,
    applyOn: isoDate.nullable(),
    memo: z.string(),
    amountCents: z.number().int(),
    itemStatus: z.enum(PAYOUT_ITEM_STATUSES),
    paidReference: z.string().nullable(),
  }),
);

/** The platform's message log: a private link in a body is already hidden by the service (item 12). */
export const messagesOutput = z.array(
  z.object({ id: z.uuid(), kind: z.string(), to: z.string(), subject: z.string(), body: z.string(), status: z.enum(OUTBOX_STATUSES), createdAt: z.date() }),
);

/**
 * Rule B5: one referral as its private status link shows it. REST's partnerStatus answers the
 * part a partner's integration needs (server/api/routes/partner.ts), picked from this.
 */
export const partnerStatusReferralOutput = z.object({
  id: z.uuid(),
  practiceName: z.string(),
  city: z.string(),
  status,
  statusText: z.string(),
  reason: z.string().nullable(),
  submittedAt: timestamp,
  rewardPlan: z.enum(["flat_credit", "recurring_share"]),
  earnedCents: z.number().int(),
  paidCents: z.number().int(),
});

export const partnerStatusOutput = z.object({
  // "submission": the confirmation's link, one submission; "referrer": the emailed link, all of them.
  scope: z.enum(STATUS_TOKEN_SCOPES),
  referrerName: z.string(),
  // Set while the address is unproven: what confirming it makes the referrer's payout details.
  confirmation: z.object({ name: z.string(), organization: z.string(), phone: z.string() }).nullable(),
  referrals: z.array(partnerStatusReferralOutput),
});
