import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { creditReservations, orderItems, orders, rewards } from "@/db/schema";
import { type Actor, actorUserId } from "@/server/events/actor";
import { emit } from "@/server/events/emit";
import { auditBy } from "@/server/kernel/audit";
import { DomainError } from "@/server/kernel/errors";
import { lockPatients } from "@/server/kernel/locks";
import { markOrderPaid, orderById } from "./settle";
import { findByKey, priceItems, sameOrderOrConflict } from "./orders";

type Lines = { items: { serviceId: string; quantity: number }[] } | { amountCents: number };

/**
 * Rule A7: a paid order from the clinic's own checkout (the REST API). It never spends credit
 * by itself; only a reservation redeemed for it (quote, redeem, capture) is applied, so the
 * patient's balance moves exactly as the checkout asked. Lines come from the clinic's services,
 * or the order is a single amount. Keyed by its idempotency key (rule N2); payment sets off
 * what a paid order does (rule P7).
 */
export async function recordExternalOrder(
  db: Db,
  actor: Actor,
  input: { clinicId: string; patientId: string; idempotencyKey: string; reservationId?: string | null; paymentRef?: string | null; now?: Date } & Lines,
) {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const [locked] = await lockPatients(tx, { clinicId: input.clinicId, patientIds: [input.patientId] });
    if (!locked) throw new DomainError("NOT_FOUND", "No such patient at this clinic.", "patientId");
    const existing = await findByKey(tx, input.clinicId, input.idempotencyKey);
    if (existing) return sameOrderOrConflict(existing, input.patientId);

    const priced = "items" in input ? await priceItems(tx, input.clinicId, input.items) : [];
    const totalCents = "items" in input ? priced.reduce((total, line) => total + line.unitPriceCents * line.quantity, 0) : input.amountCents;
    const reservation = input.reservationId ? await usableReservation(tx, { ...input, totalCents, now }) : null;
    const creditCents = reservation?.amountCents ?? 0;
    const discountCents = reservation?.discountCents ?? 0;
    const [order] = await tx
      .insert(orders)
      .values({
        clinicId: input.clinicId,
        patientId: input.patientId,
        totalCents,
        discountCents,
        discountRewardId: reservation?.discountRewardId ?? null,
        creditAppliedCents: creditCents,
        chargedCents: totalCents - discountCents - creditCents,
        paymentMethod: "in_clinic",
        idempotencyKey: input.idempotencyKey,
        recordedById: actorUserId(actor),
      })
      .returning();
    if (!order) throw new Error("the order was not stored");
    if (priced.length) await tx.insert(orderItems).values(priced.map((line) => ({ ...line, orderId: order.id })));
    if (reservation) {
      const [linked] = await tx
        .update(creditReservations)
        .set({ orderId: order.id, status: "captured", settledAt: reservation.settledAt ?? now })
        .where(and(eq(creditReservations.id, reservation.id), isNull(creditReservations.orderId)))
        .returning();
      if (!linked) throw new DomainError("CONFLICT", "This credit reservation already paid for another order.", "reservationId");
      // Rule P8: the held percent-off reward is now used by this order, once.
      if (linked.discountRewardId) await tx.update(rewards).set({ usedByOrderId: order.id }).where(eq(rewards.id, linked.discountRewardId));
      if (reservation.status === "reserved") {
        await emit(tx, actor, { type: "credit.captured", clinicId: input.clinicId, data: { reservationId: linked.id, patientId: linked.patientId, amountCents: linked.amountCents } });
      }
    }
    await auditBy(tx, actor, { clinicId: input.clinicId, action: "order.record", targetType: "order", targetId: order.id, after: { patientId: input.patientId, totalCents, creditCents } });
    await markOrderPaid(tx, actor, { clinicId: input.clinicId, orderId: order.id, paymentRef: input.paymentRef ?? null });
    return (await orderById(tx, order.id)) ?? order;
  });
}

/** The patient's reservation, reserved (and not yet expired) or captured, not used by another order, within the total. */
async function usableReservation(tx: Db, input: { clinicId: string; patientId: string; reservationId?: string | null; totalCents: number; now: Date }) {
  const [row] = await tx
    .select()
    .from(creditReservations)
    .where(and(eq(creditReservations.id, input.reservationId ?? ""), eq(creditReservations.clinicId, input.clinicId)))
    .for("update");
  if (!row || row.patientId !== input.patientId) throw new DomainError("NOT_FOUND", "No such credit reservation for this patient.", "reservationId");
  if (row.orderId) throw new DomainError("CONFLICT", "This credit reservation already paid for another order.", "reservationId");
  const live = row.status === "captured" || (row.status === "reserved" && row.expiresAt > input.now);
  if (!live) throw new DomainError("CONFLICT", "This credit reservation was released or expired; reserve the credit again.", "reservationId");
  if (row.orderTotalCents !== input.totalCents) {
    throw new DomainError("BAD_REQUEST", "This order's total differs from the total the credit was reserved for; release it and reserve again.", "reservationId");
  }
  return row;
}

