import { z } from "zod";
import { REFERRAL_STATUSES } from "@/db/schema";
import { bookAppointmentBody, creditQuoteBody, creditRedeemBody, recordOrderBody, refundOrderBody, reservationRefBody } from "@/server/schemas/api";
import { apiReferral, referralChanges } from "@/server/services/patients/api";
import { cancelAppointment, recordAttendance, recordBooking } from "@/server/services/orders/appointments";
import type { ServiceContext } from "@/server/kernel/context";
import { captureCredit, quoteCredit, redeemCredit, releaseCredit, reservationOf } from "@/server/services/orders/credit-checkout";
import { DomainError } from "@/server/kernel/errors";
import { recordExternalOrder } from "@/server/services/orders/external";
import { refundOrder } from "@/server/services/orders/orders";
import { route } from "../route";
import { appointmentOutput } from "@/server/schemas/appointments";
import { orderOut, quoteOut, referralOut, referralPageOut, reservationOut } from "./outputs";

const ID = "3f6c2a8e-5b1d-4c7a-9e2f-1a2b3c4d5e6f";
const AT = "2026-12-01T12:00:00.000Z";
const byId = z.object({ id: z.uuid("That id is not valid.") });
const referralExample = { id: ID, referrerId: ID, refereeId: ID, status: "signed_up", ineligibleReason: null, reviewState: "none", source: "link", createdAt: AT, qualifiedAt: null, updatedAt: AT };
const orderExample = { id: ID, patientId: ID, status: "paid", totalCents: 12000, discountCents: 0, creditAppliedCents: 5000, chargedCents: 7000, paidAt: AT, refundedAt: null };
const reservationExample = { id: ID, patientId: ID, externalRef: "POS-88213", orderTotalCents: 12000, discountCents: 0, amountCents: 5000, status: "reserved", expiresAt: AT, orderId: null };
const appointmentExample = { id: ID, patientId: ID, status: "booked", scheduledFor: AT, attendedAt: null };

/** Capture or release (rule A7): the same reservation check of the patient in the path, then the service. */
function settle(
  path: "capture" | "release",
  operationId: string,
  summary: string,
  description: string,
  status: "captured" | "released",
  service: typeof captureCredit | typeof releaseCredit,
) {
  return route({
    ...credit(path, operationId, summary, description),
    idempotency: "required",
    body: reservationRefBody,
    bodyExample: { reservationId: ID },
    status: 200,
    response: reservationOut,
    responseExample: { ...reservationExample, status },
    errors: [400, 404, 409, 422],
    target: { type: "credit_reservation", id: (_p, r) => r.id },
    handler: async ({ service: ctx, params, body }) => {
      await ofPatient(ctx, { patientId: params.id, reservationId: body.reservationId });
      return service(ctx, { reservationId: body.reservationId });
    },
  });
}

const referralQuery = z.strictObject({
  status: z.enum(REFERRAL_STATUSES).optional(),
  updated_since: z.iso.datetime({ offset: true, error: "updated_since: give an ISO 8601 date-time." }).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const orderView = (o: { id: string; patientId: string; status: "pending" | "paid" | "declined" | "refunded"; totalCents: number; discountCents: number; creditAppliedCents: number; chargedCents: number; paidAt: Date | null; refundedAt: Date | null }) => o;
const credit = (path: string, operationId: string, summary: string, description: string) => ({
  method: "POST" as const,
  path: `/patients/{id}/credit/${path}`,
  operationId,
  summary,
  description,
  tag: "Credit at checkout",
  audience: "clinic" as const,
  scope: "write" as const,
  params: byId,
  target: { type: "credit_reservation" },
});

export const commerceRoutes = [
  route({
    method: "GET",
    path: "/referrals",
    operationId: "listReferrals",
    summary: "List referrals, oldest change first",
    description: "Filter by status and `updated_since`; follow `nextCursor` (pass it as `cursor`) until it is null. Ids and statuses only (rule N3).",
    tag: "Referrals",
    audience: "clinic",
    scope: "read",
    idempotency: "none",
    query: referralQuery,
    status: 200,
    response: referralPageOut,
    responseExample: { data: [referralExample], nextCursor: null },
    errors: [400],
    target: { type: "referral" },
    handler: ({ service, query }) =>
      referralChanges(service, { status: query.status, updatedSince: query.updated_since ? new Date(query.updated_since) : undefined, cursor: query.cursor, limit: query.limit }),
  }),
  route({
    method: "GET",
    path: "/referrals/{id}",
    operationId: "getReferral",
    summary: "Get a referral",
    tag: "Referrals",
    audience: "clinic",
    scope: "read",
    idempotency: "none",
    params: byId,
    status: 200,
    response: referralOut,
    responseExample: referralExample,
    errors: [400, 404],
    target: { type: "referral", id: (p) => p.id },
    handler: ({ service, params }) => apiReferral(service, { referralId: params.id }),
  }),
  route({
    method: "POST",
    path: "/orders",
    operationId: "recordOrder",
    summary: "Record a paid order",
    description:
      "Lines from the clinic's services, or a single `amountCents`. Rule A7: an order recorded here never spends credit unless `reservationId` names a reservation redeemed for it; a paid order may qualify a referral (rule P7).",
    tag: "Orders",
    audience: "clinic",
    scope: "write",
    idempotency: "required",
    body: recordOrderBody,
    bodyExample: { patientId: ID, amountCents: 12000, reservationId: ID },
    status: 201,
    response: orderOut,
    responseExample: orderExample,
    errors: [400, 404, 409, 422],
    target: { type: "order", id: (_p, r) => r.id },
    handler: async ({ service, key, body, idempotencyKey }) =>
      orderView(await recordExternalOrder(service, { ...body, idempotencyKey: `api:${key.id}:${idempotencyKey ?? ""}` })),
  }),
  route({
    method: "POST",
    path: "/orders/{id}/refund",
    operationId: "refundOrder",
    summary: "Refund an order",
    description: "Rule P13: the credit the order used comes back; a qualifying order refunded within the hold window reverses the unredeemed rewards it released.",
    tag: "Orders",
    audience: "clinic",
    scope: "write",
    idempotency: "required",
    params: byId,
    body: refundOrderBody,
    bodyExample: { reason: "Treatment cancelled" },
    status: 200,
    response: orderOut,
    responseExample: { ...orderExample, status: "refunded", refundedAt: AT },
    errors: [400, 404, 422],
    target: { type: "order", id: (p) => p.id },
    handler: async ({ service, params, body }) => orderView((await refundOrder(service, { orderId: params.id, reason: body.reason })).order),
  }),
  route({
    ...credit("quote", "quoteCredit", "Quote the credit for an order", "Which percent-off reward (rule P8) and how much of the patient's credit (rule P9: at most what is left of the total, soonest-expiring first) would apply to an order of this total. Changes nothing."),
    scope: "read",
    idempotency: "optional",
    body: creditQuoteBody,
    bodyExample: { orderTotalCents: 12000 },
    status: 200,
    response: quoteOut,
    responseExample: { orderTotalCents: 12000, discount: null, balanceCents: 5000, creditCents: 5000, payableCents: 7000 },
    errors: [400, 404],
    target: { type: "patient", id: (p) => p.id },
    handler: ({ service, params, body }) => quoteCredit(service, { patientId: params.id, orderTotalCents: body.orderTotalCents }),
  }),
  route({
    ...credit("redeem", "redeemCredit", "Reserve credit for an order", "Rule A7: holds the discount and credit that apply for your order reference; capture it when the payment succeeds, release it when it fails. Unreleased, it expires after 30 minutes. The same live `externalRef` answers the same reservation."),
    idempotency: "required",
    body: creditRedeemBody,
    bodyExample: { orderTotalCents: 12000, externalRef: "POS-88213" },
    status: 201,
    response: reservationOut,
    responseExample: reservationExample,
    errors: [400, 404, 409, 422],
    target: { type: "credit_reservation", id: (_p, r) => r.id },
    handler: ({ service, params, body }) => redeemCredit(service, { patientId: params.id, ...body }),
  }),
  settle("capture", "captureCredit", "Capture reserved credit", "Rule A7: the payment succeeded; the held credit is spent. Capturing twice captures once; an expired or released reservation answers 409.", "captured", captureCredit),
  settle("release", "releaseCredit", "Release reserved credit", "Rule A7: the payment failed; the held credit goes back to the patient. Releasing twice releases once; a captured reservation answers 409 (refund the order instead).", "released", releaseCredit),
  route({
    method: "POST",
    path: "/appointments",
    operationId: "bookAppointment",
    summary: "Record a booked appointment",
    description: "Rule P7: a first booked appointment may qualify a referral, once.",
    tag: "Appointments",
    audience: "clinic",
    scope: "write",
    idempotency: "required",
    body: bookAppointmentBody,
    bodyExample: { patientId: ID, scheduledFor: AT },
    status: 201,
    response: appointmentOutput,
    responseExample: appointmentExample,
    errors: [400, 404, 409, 422],
    target: { type: "appointment", id: (_p, r) => r.id },
    handler: ({ service, key, body, idempotencyKey }) =>
      recordBooking(service, { patientId: body.patientId, scheduledFor: new Date(body.scheduledFor), idempotencyKey: `api:${key.id}:${idempotencyKey ?? ""}` }),
  }),
  route({
    method: "POST",
    path: "/appointments/{id}/attended",
    operationId: "markAttended",
    summary: "Mark an appointment attended",
    description: "Rule P7: a first attended appointment may qualify a referral, once. Repeating it changes nothing.",
    tag: "Appointments",
    audience: "clinic",
    scope: "write",
    idempotency: "optional",
    params: byId,
    status: 200,
    response: appointmentOutput,
    responseExample: { ...appointmentExample, status: "attended", attendedAt: AT },
    errors: [400, 404, 422],
    target: { type: "appointment", id: (p) => p.id },
    handler: ({ service, params }) => recordAttendance(service, { appointmentId: params.id }),
  }),
  route({
    method: "POST",
    path: "/appointments/{id}/cancelled",
    operationId: "cancelAppointment",
    summary: "Cancel a booked appointment",
    tag: "Appointments",
    audience: "clinic",
    scope: "write",
    idempotency: "optional",
    params: byId,
    status: 200,
    response: appointmentOutput,
    responseExample: { ...appointmentExample, status: "cancelled" },
    errors: [400, 404, 422],
    target: { type: "appointment", id: (p) => p.id },
    handler: ({ service, params }) => cancelAppointment(service, { appointmentId: params.id }),
  }),
];

/** A reservation reached through another patient's path reads as unknown (rule N1). */
async function ofPatient(ctx: ServiceContext, input: { patientId: string; reservationId: string }) {
  const reservation = await reservationOf(ctx, { reservationId: input.reservationId });
  if (reservation.patientId !== input.patientId) throw new DomainError("not_found", "No such credit reservation.", "reservationId");
}
