import { z } from "zod";
import { creditQuoteBody, creditRedeemBody, reservationRefBody } from "@/server/schemas/api";
import type { ServiceContext } from "@/server/kernel/context";
import { DomainError } from "@/server/kernel/errors";
import { captureCredit, quoteCredit, redeemCredit, releaseCredit, reservationOf } from "@/server/services/orders/credit-checkout";
import { route } from "../route";
import { EXAMPLE_AT as AT, EXAMPLE_ID as ID } from "./examples";
import { quoteOut, reservationOut } from "./outputs";

const byId = z.object({ id: z.uuid("That id is not valid.") });
const reservationExample = { id: ID, patientId: ID, externalRef: "POS-88213", orderTotalCents: 12000, discountCents: 0, amountCents: 5000, status: "reserved", expiresAt: AT, orderId: null };

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

/** Credit at the clinic's own checkout (rule A7): quote, reserve, then capture or release. */
export const creditRoutes = [
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
];

/** A reservation reached through another patient's path reads as unknown (rule N1). */
async function ofPatient(ctx: ServiceContext, input: { patientId: string; reservationId: string }) {
  const reservation = await reservationOf(ctx, { reservationId: input.reservationId });
  if (reservation.patientId !== input.patientId) throw new DomainError("not_found", "No such credit reservation.", "reservationId");
}
