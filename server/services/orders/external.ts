import type { ServiceContext } from "@/server/kernel/context";
import { recordOrder } from "./record";
type Lines = { items: { serviceId: string; quantity: number }[] } | { amountCents: number };

/**
 * Rule A7: a paid order from the clinic's own checkout (the REST API). It never spends credit
 * by itself; only a reservation redeemed for it (quote, redeem, capture) is applied, so the
 * patient's balance moves exactly as the checkout asked. Lines come from the clinic's services,
 * or the order is a single amount. Keyed by its idempotency key (rule N2); payment sets off
 * what a paid order does (rule P7).
 */
export async function recordExternalOrder(
  ctx: ServiceContext,
  input: { patientId: string; idempotencyKey: string; reservationId?: string | null; paymentRef?: string | null; now?: Date } & Lines,
) {
  const { order } = await recordOrder(ctx, {
    patientId: input.patientId,
    idempotencyKey: input.idempotencyKey,
    lines: "items" in input ? { items: input.items } : { amountCents: input.amountCents },
    paymentMethod: "in_clinic",
    credit: { use: "reservation", reservationId: input.reservationId ?? null, now: input.now ?? new Date() },
    paid: { paymentRef: input.paymentRef ?? null },
  });
  return order;
}
