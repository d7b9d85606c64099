import { clockNow } from "@/server/kernel/clock";
import { and, eq } from "drizzle-orm";
import { orders, services } from "@/db/schema";
import type { CardInput } from "@/server/schemas/orders";
import { DomainError } from "@/server/kernel/errors";
import type { PaymentProvider } from "./payment-provider";
import { emit } from "@/server/events/emit";
import { auditBy } from "@/server/kernel/audit";
import { withTransaction, type ServiceContext } from "@/server/kernel/context";
import { releaseOrderCredit } from "@/server/services/rewards/ledger";
import { lockPatients } from "@/server/kernel/locks";
import { applyAttempt, markOrderPaid, openAttempt, orderById, settleOrder } from "./settle";
import { recordOrder, type Item, type Order } from "./record";
import { reverseReferralRewards, rewardHoldersOf } from "@/server/services/rewards/reversals";

/**
 * Portal checkout: credit first (rule P9), the card for the rest. The payment attempt is opened
 * and its reference stored before the card is charged, so whatever instant the process dies the
 * order can be settled from what the provider says (order-payments.ts). A repeated key never
 * charges again: it settles the order it first made from the provider's answer. The portal's
 * checkout is the patient's own act: `ctx.actor` is the patient.
 */
export async function checkout(
  ctx: ServiceContext,
  payments: PaymentProvider,
  input: { patientId: string; items: Item[]; card: CardInput; idempotencyKey: string },
): Promise<Order> {
  const { order, created } = await recordOrder(ctx, {
    patientId: input.patientId,
    idempotencyKey: input.idempotencyKey,
    lines: { items: input.items },
    paymentMethod: "card",
    credit: { use: "automatic" },
  });
  if (!created) return settleOrder(ctx, payments, { order: (await orderById(ctx, { orderId: order.id })) ?? order });
  if (order.chargedCents === 0) return (await markOrderPaid(ctx, { orderId: order.id, paymentRef: null })) ?? order;
  const opened = await openAttempt(ctx, payments, { order });
  const confirmed = await payments.confirm(opened.reference, input.card);
  return applyAttempt(ctx, payments, { order, attempt: confirmed, cancelOpen: true });
}

/**
 * A paid order from outside the portal: the front desk took payment, or a payment event
 * arrived. Credit is applied (rule P9) and the remainder is what the patient paid.
 */
export async function recordPaidOrder(ctx: ServiceContext, input: { patientId: string; items: Item[]; idempotencyKey: string; paymentRef?: string }): Promise<Order> {
  const { order } = await recordOrder(ctx, {
    patientId: input.patientId,
    idempotencyKey: input.idempotencyKey,
    lines: { items: input.items },
    paymentMethod: "in_clinic",
    credit: { use: "automatic" },
    paid: { paymentRef: input.paymentRef ?? null },
  });
  return order;
}

/**
 * Rule P13: a refund gives the patient back the credit the order used, and when the order is
 * a referral's qualifying order refunded inside the hold window, reverses what the rewards
 * still hold; anything already redeemed is reported, never clawed back below zero.
 */
export async function refundOrder(ctx: ServiceContext, input: { orderId: string; reason: string }) {
  return withTransaction(ctx, async (txCtx) => {
    const { db: tx, actor, clinicId } = txCtx;
    const existing = await orderById(txCtx, { orderId: input.orderId });
    if (!existing || existing.clinicId !== clinicId) throw new DomainError("not_found", "No such order at this clinic.");
    // Patients before the order (locks.ts): the buyer, and whoever holds a reward this refund may reverse.
    await lockPatients(tx, { clinicId, patientIds: [existing.patientId, ...(await rewardHoldersOf(txCtx, { order: existing }))] });
    const [refunded] = await tx
      .update(orders)
      .set({ status: "refunded", refundedAt: clockNow })
      .where(and(eq(orders.id, input.orderId), eq(orders.clinicId, clinicId), eq(orders.status, "paid")))
      .returning();
    if (!refunded) {
      const current = await orderById(txCtx, { orderId: input.orderId });
      if (current?.status === "refunded") return { order: current, reversal: null };
      throw new DomainError("invalid", "Only a paid order can be refunded.");
    }
    const creditReturnedCents = await releaseOrderCredit({ db: tx, clinicId: refunded.clinicId }, { patientId: refunded.patientId, orderId: refunded.id, memo: "Returned: the order was refunded" });
    const data = { orderId: refunded.id, patientId: refunded.patientId, refundedCents: refunded.chargedCents, creditReturnedCents };
    await emit(tx, actor, { type: "order.refunded", clinicId, data });
    const reversal = await reverseReferralRewards(txCtx, { order: refunded });
    await auditBy(tx, actor, {
      clinicId,
      action: "order.refund",
      targetType: "order",
      targetId: refunded.id,
      reason: input.reason,
      after: { reversal },
    });
    return { order: refunded, reversal };
  });
}

/**
 * Rules A5, A7: a payment a provider reported (a Stripe checkout or payment intent) becomes a paid
 * order for the amount paid. It never spends credit: credit at the clinic's own checkout goes
 * through the redemption API. Keyed by the payment, so one payment is one order however often,
 * and by whichever of its events, it is reported (rule N2).
 */
export async function recordProviderPayment(
  ctx: ServiceContext,
  input: { patientId: string; amountCents: number; serviceId: string | null; paymentRef: string; idempotencyKey: string },
): Promise<{ order: Order; created: boolean }> {
  return recordOrder(ctx, {
    patientId: input.patientId,
    idempotencyKey: input.idempotencyKey,
    lines: { amountCents: input.amountCents, line: { serviceId: input.serviceId } },
    paymentMethod: "card",
    credit: { use: "none" },
    paid: { paymentRef: input.paymentRef },
  });
}

export async function clinicCatalog(ctx: ServiceContext) {
  const { db, clinicId } = ctx;
  return db
    .select({ id: services.id, name: services.name, description: services.description, priceCents: services.priceCents })
    .from(services)
    .where(and(eq(services.clinicId, clinicId), eq(services.active, true)))
    .orderBy(services.name);
}
