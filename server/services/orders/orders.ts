import { clockNow } from "@/server/kernel/clock";
import { and, asc, eq, inArray, isNull, notExists } from "drizzle-orm";
import type { Db } from "@/db/client";
import { creditReservations, orderItems, orders, referrals, rewards, services, users } from "@/db/schema";
import type { CardInput } from "@/server/schemas/orders";
import { DomainError } from "@/server/kernel/errors";
import type { PaymentProvider } from "./payment-provider";
import { type Actor, patientActor } from "@/server/events/actor";
import { emit } from "@/server/events/emit";
import { auditBy } from "@/server/kernel/audit";
import { drawFromGrants, releaseOrderCredit } from "@/server/services/rewards/ledger";
import { lockPatients } from "@/server/kernel/locks";
import { applyAttempt, markOrderPaid, openAttempt, orderById, settleOrder } from "./settle";
import { reverseReferralRewards, rewardHoldersOf } from "@/server/services/rewards/reversals";

type Order = typeof orders.$inferSelect;
type Item = { serviceId: string; quantity: number };

type OpenOrderInput = {
  clinicId: string;
  patientId: string;
  items: Item[];
  idempotencyKey: string;
  paymentMethod: Order["paymentMethod"];
  /** Who records it: the patient at checkout, staff at the front desk, a payment event or an API key. */
  actor: Actor;
};

/**
 * Prices the order from the clinic's catalog, draws the patient's credit (rule P9) and stores
 * the order as pending, keyed by its idempotency key (rule N2). A repeated key returns the
 * order it first made, with `created: false`, and writes nothing.
 */
async function openOrder(db: Db, input: OpenOrderInput): Promise<{ order: Order; created: boolean }> {
  return db.transaction(async (tx) => {
    // The patient's row lock serializes everything that spends this patient's credit.
    const [patient] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, input.patientId), eq(users.clinicId, input.clinicId), eq(users.role, "patient")))
      .for("no key update");
    if (!patient) throw new DomainError("NOT_FOUND", "No such patient at this clinic.");

    const existing = await findByKey(tx, input.clinicId, input.idempotencyKey);
    if (existing) return { order: sameOrderOrConflict(existing, input.patientId), created: false };

    const priced = await priceItems(tx, input.clinicId, input.items);
    const totalCents = priced.reduce((total, line) => total + line.unitPriceCents * line.quantity, 0);
    const [order] = await tx
      .insert(orders)
      .values({
        clinicId: input.clinicId,
        patientId: input.patientId,
        totalCents,
        chargedCents: totalCents,
        paymentMethod: input.paymentMethod,
        idempotencyKey: input.idempotencyKey,
        recordedById: input.actor.kind === "staff" ? input.actor.id : null,
      })
      .onConflictDoNothing({ target: [orders.clinicId, orders.idempotencyKey] })
      .returning();
    if (!order) {
      // Same key from another request for another patient, committed after our look-up.
      const raced = await findByKey(tx, input.clinicId, input.idempotencyKey);
      if (!raced) throw new Error("order vanished after an idempotency conflict");
      return { order: sameOrderOrConflict(raced, input.patientId), created: false };
    }
    await tx.insert(orderItems).values(priced.map((line) => ({ ...line, orderId: order.id })));
    // Rule C4: an order recorded for a patient by anyone else is audited.
    if (input.actor.kind !== "patient") {
      await auditBy(tx, input.actor, { clinicId: input.clinicId, action: "order.record", targetType: "order", targetId: order.id, after: { patientId: input.patientId, totalCents } });
    }

    // Rule P8: a percent-off reward is used by the next order, once; credit then covers what is left (P9).
    const discount = await useDiscount(tx, { ...input, orderId: order.id, totalCents });
    const credit = await drawFromGrants(tx, {
      clinicId: input.clinicId,
      patientId: input.patientId,
      unit: "credit",
      kind: "redemption",
      maxCents: totalCents - discount.cents,
      orderId: order.id,
      memo: "Applied to your order",
    });
    if (credit > 0) {
      await emit(tx, input.actor, { type: "credit.redeemed", clinicId: input.clinicId, data: { patientId: input.patientId, orderId: order.id, amountCents: credit } });
    }
    if (credit === 0 && discount.cents === 0) return { order, created: true };
    const [adjusted] = await tx
      .update(orders)
      .set({ discountCents: discount.cents, discountRewardId: discount.rewardId, creditAppliedCents: credit, chargedCents: totalCents - discount.cents - credit })
      .where(eq(orders.id, order.id))
      .returning();
    return { order: adjusted ?? order, created: true };
  });
}

async function useDiscount(tx: Db, input: { clinicId: string; patientId: string; orderId: string; totalCents: number }) {
  const voucher = await nextDiscount(tx, input);
  if (!voucher) return { cents: 0, rewardId: null };
  await tx.update(rewards).set({ usedByOrderId: input.orderId }).where(eq(rewards.id, voucher.rewardId));
  return { cents: voucher.cents, rewardId: voucher.rewardId };
}

/**
 * Rule P8: the percent-off reward the patient's next order would use (soonest-expiring first),
 * unless an order used it or a checkout reservation holds it (rule A7), and what it takes off.
 */
export async function nextDiscount(tx: Db, input: { patientId: string; totalCents: number }) {
  const [voucher] = await tx
    .select()
    .from(rewards)
    .where(
      and(
        eq(rewards.patientId, input.patientId),
        eq(rewards.kind, "percent"),
        eq(rewards.status, "released"),
        isNull(rewards.usedByOrderId),
        notExists(
          tx
            .select({ id: creditReservations.id })
            .from(creditReservations)
            .where(and(eq(creditReservations.discountRewardId, rewards.id), inArray(creditReservations.status, ["reserved", "captured"]))),
        ),
      ),
    )
    .orderBy(asc(rewards.expiresAt), asc(rewards.createdAt))
    .limit(1);
  if (!voucher || (voucher.expiresAt && voucher.expiresAt <= new Date())) return null;
  // Whole cents, rounded down: the discount never exceeds the stated percent.
  return { rewardId: voucher.id, percent: voucher.amount, cents: Math.floor((input.totalCents * voucher.amount) / 100) };
}

export async function findByKey(tx: Db, clinicId: string, idempotencyKey: string) {
  const [row] = await tx
    .select()
    .from(orders)
    .where(and(eq(orders.clinicId, clinicId), eq(orders.idempotencyKey, idempotencyKey)));
  return row;
}

export function sameOrderOrConflict(order: Order, patientId: string): Order {
  if (order.patientId !== patientId) {
    throw new DomainError("CONFLICT", "This request key was already used for another order. Reload the page and try again.");
  }
  return order;
}

export async function priceItems(tx: Db, clinicId: string, items: Item[]) {
  const ids = [...new Set(items.map((i) => i.serviceId))];
  const rows = await tx
    .select()
    .from(services)
    .where(and(eq(services.clinicId, clinicId), inArray(services.id, ids), eq(services.active, true)));
  const byId = new Map(rows.map((s) => [s.id, s]));
  return items.map((item) => {
    const service = byId.get(item.serviceId);
    if (!service) {
      throw new DomainError("BAD_REQUEST", "One of the chosen services is no longer offered. Refresh the list and choose again.", "items");
    }
    return { serviceId: service.id, name: service.name, unitPriceCents: service.priceCents, quantity: item.quantity };
  });
}

/**
 * Portal checkout: credit first (rule P9), the card for the rest. The payment attempt is opened
 * and its reference stored before the card is charged, so whatever instant the process dies the
 * order can be settled from what the provider says (order-payments.ts). A repeated key never
 * charges again: it settles the order it first made from the provider's answer.
 */
export async function checkout(
  db: Db,
  payments: PaymentProvider,
  input: { clinicId: string; patientId: string; items: Item[]; card: CardInput; idempotencyKey: string },
): Promise<Order> {
  // The portal's checkout is the patient's own act.
  const actor = patientActor(input.patientId, input.clinicId);
  const { order, created } = await openOrder(db, { ...input, paymentMethod: "card", actor });
  if (!created) return settleOrder(db, payments, actor, (await orderById(db, order.id)) ?? order);
  if (order.chargedCents === 0) return (await markOrderPaid(db, actor, { clinicId: order.clinicId, orderId: order.id, paymentRef: null })) ?? order;
  const opened = await openAttempt(db, payments, order);
  const confirmed = await payments.confirm(opened.reference, input.card);
  return applyAttempt(db, payments, actor, order, confirmed, { cancelOpen: true });
}

/**
 * A paid order from outside the portal: the front desk took payment, or a payment event
 * arrived. Credit is applied (rule P9) and the remainder is what the patient paid.
 */
export async function recordPaidOrder(
  db: Db,
  input: { clinicId: string; patientId: string; items: Item[]; idempotencyKey: string; paymentRef?: string; actor: Actor },
): Promise<Order> {
  const { order } = await openOrder(db, { ...input, paymentMethod: "in_clinic" });
  const paid = await markOrderPaid(db, input.actor, { clinicId: order.clinicId, orderId: order.id, paymentRef: input.paymentRef ?? null });
  return paid ?? (await orderById(db, order.id)) ?? order;
}

/**
 * Rule P13: a refund gives the patient back the credit the order used, and when the order is
 * a referral's qualifying order refunded inside the hold window, reverses what the rewards
 * still hold; anything already redeemed is reported, never clawed back below zero.
 */
export async function refundOrder(db: Db, input: { clinicId: string; orderId: string; actor: Actor; reason: string }) {
  return db.transaction(async (tx) => {
    const existing = await orderById(tx, input.orderId);
    if (!existing || existing.clinicId !== input.clinicId) throw new DomainError("NOT_FOUND", "No such order at this clinic.");
    // Patients before the order (locks.ts): the buyer, and whoever holds a reward this refund may reverse.
    await lockPatients(tx, { clinicId: input.clinicId, patientIds: [existing.patientId, ...(await rewardHoldersOf(tx, existing))] });
    const [refunded] = await tx
      .update(orders)
      .set({ status: "refunded", refundedAt: clockNow })
      .where(and(eq(orders.id, input.orderId), eq(orders.clinicId, input.clinicId), eq(orders.status, "paid")))
      .returning();
    if (!refunded) {
      const current = await orderById(tx, input.orderId);
      if (current?.status === "refunded") return { order: current, reversal: null };
      throw new DomainError("BAD_REQUEST", "Only a paid order can be refunded.");
    }
    const creditReturnedCents = await releaseOrderCredit(tx, { ...refunded, orderId: refunded.id, memo: "Returned: the order was refunded" });
    const data = { orderId: refunded.id, patientId: refunded.patientId, refundedCents: refunded.chargedCents, creditReturnedCents };
    await emit(tx, input.actor, { type: "order.refunded", clinicId: input.clinicId, data });
    const reversal = await reverseReferralRewards(tx, input.actor, { order: refunded });
    await auditBy(tx, input.actor, {
      clinicId: input.clinicId,
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
  db: Db,
  actor: Actor,
  input: { clinicId: string; patientId: string; amountCents: number; serviceId: string | null; paymentRef: string; idempotencyKey: string },
): Promise<{ order: Order; created: boolean }> {
  return db.transaction(async (tx) => {
    const [referral] = await tx.select({ referrerId: referrals.referrerId }).from(referrals).where(eq(referrals.refereeId, input.patientId));
    // Patients first (locks.ts), as markOrderPaid takes them.
    await lockPatients(tx, { clinicId: input.clinicId, patientIds: [input.patientId, ...(referral ? [referral.referrerId] : [])] });
    const existing = await findByKey(tx, input.clinicId, input.idempotencyKey);
    if (existing) return { order: existing, created: false };
    const [service] = input.serviceId
      ? await tx.select().from(services).where(and(eq(services.id, input.serviceId), eq(services.clinicId, input.clinicId)))
      : [];
    const [order] = await tx
      .insert(orders)
      .values({ clinicId: input.clinicId, patientId: input.patientId, totalCents: input.amountCents, chargedCents: input.amountCents, paymentMethod: "card", idempotencyKey: input.idempotencyKey, paymentRef: input.paymentRef })
      .onConflictDoNothing({ target: [orders.clinicId, orders.idempotencyKey] })
      .returning();
    if (!order) {
      const raced = await findByKey(tx, input.clinicId, input.idempotencyKey);
      if (!raced) throw new Error("order vanished after an idempotency conflict");
      return { order: raced, created: false };
    }
    await tx.insert(orderItems).values({ orderId: order.id, serviceId: service?.id ?? null, name: service?.name ?? "Payment", unitPriceCents: input.amountCents, quantity: 1 });
    await auditBy(tx, actor, { clinicId: input.clinicId, action: "order.record", targetType: "order", targetId: order.id, after: { patientId: input.patientId, totalCents: input.amountCents } });
    const paid = await markOrderPaid(tx, actor, { clinicId: input.clinicId, orderId: order.id, paymentRef: input.paymentRef });
    return { order: paid ?? order, created: true };
  });
}

export async function clinicCatalog(db: Db, clinicId: string) {
  return db
    .select({ id: services.id, name: services.name, description: services.description, priceCents: services.priceCents })
    .from(services)
    .where(and(eq(services.clinicId, clinicId), eq(services.active, true)))
    .orderBy(services.name);
}
