import { z } from "zod";
import { recordOrderBody, refundOrderBody } from "@/server/schemas/api";
import { recordExternalOrder } from "@/server/services/orders/external";
import { refundOrder } from "@/server/services/orders/orders";
import { route } from "../route";
import { EXAMPLE_AT as AT, EXAMPLE_ID as ID } from "./examples";
import { orderOut } from "./outputs";

const byId = z.object({ id: z.uuid("That id is not valid.") });
const orderExample = { id: ID, patientId: ID, status: "paid", totalCents: 12000, discountCents: 0, creditAppliedCents: 5000, chargedCents: 7000, paidAt: AT, refundedAt: null };

const orderView = (o: { id: string; patientId: string; status: "pending" | "paid" | "declined" | "refunded"; totalCents: number; discountCents: number; creditAppliedCents: number; chargedCents: number; paidAt: Date | null; refundedAt: Date | null }) => o;
/** Orders from the clinic's own checkout (rule A7), and their refunds (rule P13). */
export const orderRoutes = [
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
];
