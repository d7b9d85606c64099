import { z } from "zod";
import { ORDER_STATUSES, REFERRAL_STATUSES, RESERVATION_STATUSES, REVIEW_STATES, ATTRIBUTION_SOURCES, INELIGIBLE_REASONS } from "@/db/schema";
import { idOutput as id, timestamp } from "@/server/schemas/output-fields";
import { ledgerEntryOutput, rewardOutput } from "@/server/schemas/rewards";

/**
 * What the REST routes answer; timestamps travel as ISO 8601 strings. What a procedure answers
 * too lives in server/schemas/ and is used by both (the ledger, rewards, appointments, webhook
 * subscriptions, a partner's status).
 */

export const patientOut = z
  .object({ id, firstName: z.string(), lastName: z.string(), email: z.string(), externalId: z.string().nullable(), createdAt: timestamp })
  .meta({ id: "Patient" });
export const patientListOut = z.object({ data: z.array(patientOut) });
export const referralLinkOut = z.object({ code: z.string(), url: z.string(), termsVersion: z.int() }).meta({ id: "ReferralLink" });
export const balanceOut = z.object({ creditCents: z.int(), points: z.int() }).meta({ id: "Balance" });
export const ledgerOut = z.object({ data: z.array(ledgerEntryOutput) });
export const rewardsOut = z.object({ data: z.array(rewardOutput) });
export const referralOut = z
  .object({
    id,
    referrerId: z.uuid(),
    refereeId: z.uuid(),
    status: z.enum(REFERRAL_STATUSES),
    ineligibleReason: z.enum(INELIGIBLE_REASONS).nullable(),
    reviewState: z.enum(REVIEW_STATES),
    source: z.enum(ATTRIBUTION_SOURCES),
    createdAt: timestamp,
    qualifiedAt: timestamp.nullable(),
    updatedAt: timestamp,
  })
  .meta({ id: "Referral" });
export const referralPageOut = z.object({ data: z.array(referralOut), nextCursor: z.string().nullable() });
export const orderOut = z
  .object({
    id,
    patientId: z.uuid(),
    status: z.enum(ORDER_STATUSES),
    totalCents: z.int(),
    discountCents: z.int(),
    creditAppliedCents: z.int(),
    chargedCents: z.int(),
    paidAt: timestamp.nullable(),
    refundedAt: timestamp.nullable(),
  })
  .meta({ id: "Order" });
export const quoteOut = z
  .object({
    orderTotalCents: z.int(),
    discount: z.object({ rewardId: z.uuid(), percent: z.int(), cents: z.int() }).nullable(),
    balanceCents: z.int(),
    creditCents: z.int(),
    payableCents: z.int(),
  })
  .meta({ id: "CreditQuote" });
export const reservationOut = z
  .object({
    id,
    patientId: z.uuid(),
    externalRef: z.string(),
    orderTotalCents: z.int(),
    discountCents: z.int(),
    amountCents: z.int(),
    status: z.enum(RESERVATION_STATUSES),
    expiresAt: timestamp,
    orderId: z.uuid().nullable(),
  })
  .meta({ id: "CreditReservation" });
