import { z } from "zod";
import { PAYMENT_KINDS as B2B_PAYMENT_KINDS } from "@/db/schema/b2b-money";
import { B2B_REFERRAL_STATUSES } from "@/db/schema/b2b-partners";
import { CLICK_CHANNELS } from "@/db/schema/events";
import { LEDGER_UNITS } from "@/db/schema/ledger";
import { QUALIFYING_EVENTS, REWARD_KINDS } from "@/db/schema/program-versions";
import { ATTRIBUTION_SOURCES, INELIGIBLE_REASONS, REFERRAL_STATUSES } from "@/db/schema/referrals";
import { REWARD_SIDES, REWARD_STATUSES } from "@/db/schema/rewards";

/**
 * The domain events of the product, one versioned catalog (rules A1, C2). Payloads carry ids,
 * statuses and amounts, never a name, an email or a phone number (rule N3): the same schemas
 * are what outgoing webhooks send and what the API documents, so anything personal a receiver
 * needs it fetches through an authenticated call.
 */
const id = z.uuid();
const cents = z.int().min(0);
const amount = z.int();
const day = z.iso.date();

function event<const T extends string, S extends z.ZodRawShape>(type: T, data: S) {
  return z.object({ type: z.literal(type), version: z.literal(1).default(1), data: z.strictObject(data) });
}

const referral = { referralId: id, referrerId: id, refereeId: id };
const reward = { rewardId: id, patientId: id, referralId: id.nullable(), side: z.enum(REWARD_SIDES), kind: z.enum(REWARD_KINDS), amount };

export const domainEventSchema = z.discriminatedUnion("type", [
  event("patient.created", { patientId: id, source: z.enum(["sign_up", "staff", "import", "api", "seed"]) }),
  event("patient.terms_accepted", { patientId: id, termsVersion: z.int().min(1) }),
  /** Rule N3: the patient's personal fields were anonymised on request; ids only, like every event. */
  event("patient.erased", { patientId: id }),
  event("referral.created", {
    ...referral,
    codeId: id,
    source: z.enum(ATTRIBUTION_SOURCES),
    status: z.enum(REFERRAL_STATUSES),
    ineligibleReason: z.enum(INELIGIBLE_REASONS).nullable(),
    channel: z.enum(CLICK_CHANNELS).nullable(),
  }),
  event("referral.flagged", { ...referral, flags: z.array(z.enum(["same_ip", "same_device", "disposable_email", "velocity"])) }),
  event("referral.approved", referral),
  event("referral.rejected", referral),
  event("referral.attributed", { ...referral, codeId: id }),
  event("referral.qualified", { ...referral, qualifyingEvent: z.enum(QUALIFYING_EVENTS), orderId: id.nullable() }),
  event("referral.ineligible", { ...referral, reason: z.enum(INELIGIBLE_REASONS) }),
  // The status reason is the program's own wording (a cap reached, a review pending), never a person's.
  event("reward.issued", { ...reward, status: z.enum(REWARD_STATUSES), statusReason: z.string().max(200).nullable() }),
  event("reward.released", reward),
  event("reward.reversed", { ...reward, reversedAmount: amount, redeemedAmount: amount }),
  event("reward.expiring", { rewardId: id, patientId: id, kind: z.enum(REWARD_KINDS), amount, expiresAt: z.iso.datetime({ offset: true }) }),
  event("reward.expired", { grantId: id, patientId: id, unit: z.enum(LEDGER_UNITS), amount }),
  event("credit.adjusted", { patientId: id, unit: z.enum(LEDGER_UNITS), amount }),
  event("points.converted", { conversionId: id, patientId: id, points: z.int().min(1), creditCents: cents }),
  event("credit.redeemed", { patientId: id, orderId: id, amountCents: cents }),
  event("credit.reserved", { reservationId: id, patientId: id, amountCents: cents }),
  event("credit.captured", { reservationId: id, patientId: id, amountCents: cents }),
  event("credit.released", { reservationId: id, patientId: id, amountCents: cents, reason: z.enum(["released", "expired"]) }),
  event("code.rotated", { patientId: id, codeId: id }),
  event("order.paid", { orderId: id, patientId: id, totalCents: cents, creditCents: cents, paidCents: cents }),
  event("order.refunded", { orderId: id, patientId: id, refundedCents: cents, creditReturnedCents: cents }),
  event("appointment.booked", { appointmentId: id, patientId: id }),
  event("appointment.attended", { appointmentId: id, patientId: id }),
  event("appointment.cancelled", { appointmentId: id, patientId: id }),
  event("b2b.submission.created", { referralId: id, referrerId: id, status: z.enum(B2B_REFERRAL_STATUSES), duplicateOf: id.nullable() }),
  event("b2b.status_changed", { referralId: id, referrerId: id, from: z.enum(B2B_REFERRAL_STATUSES), to: z.enum(B2B_REFERRAL_STATUSES) }),
  event("b2b.payment.recorded", { paymentId: id, referralId: id, kind: z.enum(B2B_PAYMENT_KINDS), amountCents: cents, receivedOn: day }),
  event("b2b.contract_ended", { referralId: id, referrerId: id, contractEnd: day }),
  event("payout.approved", { runId: id, month: z.string().regex(/^\d{4}-\d{2}$/), referrers: z.int().min(0), totalCents: cents }),
  event("payout.paid", { itemId: id, runId: id, referrerId: id, amountCents: cents }),
  event("webhook.disabled", { endpointId: id, reason: z.enum(["gone", "failing"]) }),
  event("program.updated", { versionId: id, termsVersion: z.int().min(1), changed: z.array(z.string().max(60)).max(60) }),
]);

export type DomainEvent = z.input<typeof domainEventSchema>;
export type EventType = DomainEvent["type"];
export const EVENT_CATALOG: readonly EventType[] = domainEventSchema.options.map((option) => option.shape.type.value);
export type EventData<T extends EventType> = Extract<DomainEvent, { type: T }>["data"];
/** An event as the catalog parsed it: version filled in, payload checked. */
export type ParsedEvent = z.output<typeof domainEventSchema>;
