import { z } from "zod";
import { LEDGER_KINDS, LEDGER_UNITS, ORDER_STATUSES, REFERRAL_STATUSES, RESERVATION_STATUSES, REVIEW_STATES, ATTRIBUTION_SOURCES, INELIGIBLE_REASONS, APPOINTMENT_STATUSES } from "@/db/schema";
import { REWARD_KINDS } from "@/db/schema/program-versions";
import { REWARD_SIDES, REWARD_STATUSES } from "@/db/schema/rewards";

/** What the REST routes answer; timestamps travel as ISO 8601 strings. */
export const timestamp = z.date().meta({ type: "string", format: "date-time", example: "2026-12-01T12:00:00.000Z" });
const id = z.uuid().meta({ example: "3f6c2a8e-5b1d-4c7a-9e2f-1a2b3c4d5e6f" });

export const patientOut = z
  .object({ id, firstName: z.string(), lastName: z.string(), email: z.string(), externalId: z.string().nullable(), createdAt: timestamp })
  .meta({ id: "Patient" });
export const patientListOut = z.object({ data: z.array(patientOut) });
export const referralLinkOut = z.object({ code: z.string(), url: z.string(), termsVersion: z.int() }).meta({ id: "ReferralLink" });
export const balanceOut = z.object({ creditCents: z.int(), points: z.int() }).meta({ id: "Balance" });
export const ledgerEntryOut = z
  .object({ id, unit: z.enum(LEDGER_UNITS), kind: z.enum(LEDGER_KINDS), amountCents: z.int(), memo: z.string(), expiresAt: timestamp.nullable(), createdAt: timestamp })
  .meta({ id: "LedgerEntry" });
export const ledgerOut = z.object({ data: z.array(ledgerEntryOut) });
export const rewardOut = z
  .object({ id, referralId: z.uuid().nullable(), side: z.enum(REWARD_SIDES), kind: z.enum(REWARD_KINDS), amount: z.int(), status: z.enum(REWARD_STATUSES), createdAt: timestamp })
  .meta({ id: "Reward" });
export const rewardsOut = z.object({ data: z.array(rewardOut) });
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
export const appointmentOut = z.object({ id, patientId: z.uuid(), status: z.enum(APPOINTMENT_STATUSES), scheduledFor: timestamp, attendedAt: timestamp.nullable() }).meta({ id: "Appointment" });
