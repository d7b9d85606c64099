import { and, asc, eq, inArray, isNull, notExists } from "drizzle-orm";
import type { Db } from "@/db/client";
import { creditReservations, orderItems, orders, referrals, rewards, services } from "@/db/schema";
import { emit } from "@/server/events/emit";
import { auditBy } from "@/server/kernel/audit";
import { withTransaction, type ServiceContext } from "@/server/kernel/context";
import { DomainError } from "@/server/kernel/errors";
import { lockPatients } from "@/server/kernel/locks";
import { drawFromGrants } from "@/server/services/rewards/ledger";
import { markOrderPaid, orderById } from "./settle";

export type Order = typeof orders.$inferSelect;
export type Item = { serviceId: string; quantity: number };

/** What was bought: services from the clinic's catalog, or one amount (itemised when it names its service). */
export type OrderLines = { items: Item[] } | { amountCents: number; line?: { serviceId: string | null } };

/**
 * How the patient's credit meets the order. `automatic`: the next percent-off reward and then
 * credit cover what they can by themselves (rules P8, P9), as the portal and the front desk do.
 * `reservation`: only what the clinic's own checkout reserved is applied (rule A7). `none`: a
 * payment a provider already took in full (rule A5).
 */
export type CreditUse = { use: "automatic" } | { use: "none" } | { use: "reservation"; reservationId: string | null; now: Date };

export type RecordOrderInput = {
  patientId: string;
  /** Rule N2: one key, one order, however often and however concurrently it arrives. */
  idempotencyKey: string;
  lines: OrderLines;
  paymentMethod: Order["paymentMethod"];
  credit: CreditUse;
  /** Paid already (the desk, the REST API, a provider's payment), with its reference; absent: left pending for the card. */
  paid?: { paymentRef: string | null };
};

/**
 * The one way an order is recorded: the portal's checkout, the front desk, the REST API and a
 * provider's payment all come here, in one transaction (the caller's, when it has one). The
 * patients' rows are locked first (locks.ts); a repeated key returns the order it first made,
 * with `created: false`, and writes nothing; a paid order then sets off what payment does (P7).
 */
export async function recordOrder(ctx: ServiceContext, input: RecordOrderInput): Promise<{ order: Order; created: boolean }> {
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    // Patients first (locks.ts): the buyer, and the referrer a paid order's qualification would lock.
    const [referral] = input.paid ? await tx.select({ referrerId: referrals.referrerId }).from(referrals).where(eq(referrals.refereeId, input.patientId)) : [];
    const locked = await lockPatients(tx, { clinicId, patientIds: [input.patientId, ...(referral ? [referral.referrerId] : [])] });
    if (!locked.includes(input.patientId)) throw new DomainError("not_found", "No such patient at this clinic.", "patientId");

    const repeat = async (existing: Order) => {
      const order = sameOrderOrConflict(existing, input.patientId);
      // Paid twice over is paid once: only a still-pending order moves.
      const paid = input.paid ? await markOrderPaid({ db: tx, actor, clinicId }, { orderId: order.id, paymentRef: input.paid.paymentRef }) : null;
      return { order: paid ?? order, created: false };
    };
    const existing = await findByKey(tx, clinicId, input.idempotencyKey);
    if (existing) return repeat(existing);

    const { lines } = input;
    const priced = "items" in lines ? await priceItems({ db: tx, actor, clinicId }, { items: lines.items }) : lines.line ? await amountLine(tx, clinicId, lines.amountCents, lines.line.serviceId) : [];
    const totalCents = "items" in lines ? priced.reduce((total, line) => total + line.unitPriceCents * line.quantity, 0) : lines.amountCents;
    const reservation = input.credit.use === "reservation" && input.credit.reservationId ? await usableReservation(tx, { clinicId, patientId: input.patientId, reservationId: input.credit.reservationId, totalCents, now: input.credit.now }) : null;
    const reservedCredit = reservation?.amountCents ?? 0;
    const reservedDiscount = reservation?.discountCents ?? 0;
    const [order] = await tx
      .insert(orders)
      .values({
        clinicId,
        patientId: input.patientId,
        totalCents,
        discountCents: reservedDiscount,
        discountRewardId: reservation?.discountRewardId ?? null,
        creditAppliedCents: reservedCredit,
        chargedCents: totalCents - reservedDiscount - reservedCredit,
        paymentMethod: input.paymentMethod,
        idempotencyKey: input.idempotencyKey,
        paymentRef: input.paymentMethod === "card" ? (input.paid?.paymentRef ?? null) : null,
        recordedById: actor.kind === "staff" ? actor.id : null,
      })
      .onConflictDoNothing({ target: [orders.clinicId, orders.idempotencyKey] })
      .returning();
    if (!order) {
      // The same key from another request, committed after our look-up.
      const raced = await findByKey(tx, clinicId, input.idempotencyKey);
      if (!raced) throw new Error("order vanished after an idempotency conflict");
      return repeat(raced);
    }
    if (priced.length) await tx.insert(orderItems).values(priced.map((line) => ({ ...line, orderId: order.id })));
    if (reservation) await captureReservation({ db: tx, actor, clinicId }, { reservation, orderId: order.id, now: input.credit.use === "reservation" ? input.credit.now : new Date() });
    // Rule C4: an order recorded for a patient by anyone else is audited.
    if (actor.kind !== "patient") {
      const after = { patientId: input.patientId, totalCents, ...(input.credit.use === "reservation" ? { creditCents: reservedCredit } : {}) };
      await auditBy(tx, actor, { clinicId, action: "order.record", targetType: "order", targetId: order.id, after });
    }
    const spent = input.credit.use === "automatic" ? await spendCredit({ db: tx, actor, clinicId }, { order }) : order;
    if (!input.paid) return { order: spent, created: true };
    const paid = await markOrderPaid({ db: tx, actor, clinicId }, { orderId: order.id, paymentRef: input.paid.paymentRef });
    return { order: paid ?? (await orderById({ db: tx, actor, clinicId }, { orderId: order.id })) ?? spent, created: true };
  });
}

/** Rule P8: a percent-off reward is used by the next order, once; credit then covers what is left (P9). */
async function spendCredit(ctx: ServiceContext, { order }: { order: Order }): Promise<Order> {
  const { db: tx, actor, clinicId } = ctx;
  const voucher = await nextDiscount(ctx, { patientId: order.patientId, totalCents: order.totalCents });
  if (voucher) await tx.update(rewards).set({ usedByOrderId: order.id }).where(eq(rewards.id, voucher.rewardId));
  const discountCents = voucher?.cents ?? 0;
  const credit = await drawFromGrants(ctx, {
    patientId: order.patientId,
    unit: "credit",
    kind: "redemption",
    maxCents: order.totalCents - discountCents,
    orderId: order.id,
    memo: "Applied to your order",
  });
  if (credit > 0) {
    await emit(tx, actor, { type: "credit.redeemed", clinicId, data: { patientId: order.patientId, orderId: order.id, amountCents: credit } });
  }
  if (credit === 0 && discountCents === 0) return order;
  const [adjusted] = await tx
    .update(orders)
    .set({ discountCents, discountRewardId: voucher?.rewardId ?? null, creditAppliedCents: credit, chargedCents: order.totalCents - discountCents - credit })
    .where(eq(orders.id, order.id))
    .returning();
  return adjusted ?? order;
}

/**
 * Rule P8: the percent-off reward the patient's next order would use (soonest-expiring first),
 * unless an order used it or a checkout reservation holds it (rule A7), and what it takes off.
 */
export async function nextDiscount(ctx: ServiceContext, input: { patientId: string; totalCents: number }) {
  const tx = ctx.db;
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

async function findByKey(tx: Db, clinicId: string, idempotencyKey: string) {
  const [row] = await tx
    .select()
    .from(orders)
    .where(and(eq(orders.clinicId, clinicId), eq(orders.idempotencyKey, idempotencyKey)));
  return row;
}

function sameOrderOrConflict(order: Order, patientId: string): Order {
  if (order.patientId !== patientId) {
    throw new DomainError("conflict", "This request key was already used for another order. Reload the page and try again.");
  }
  return order;
}

export async function priceItems(ctx: ServiceContext, input: { items: Item[] }) {
  const { db: tx, clinicId } = ctx;
  const { items } = input;
  const ids = [...new Set(items.map((i) => i.serviceId))];
  const rows = await tx
    .select()
    .from(services)
    .where(and(eq(services.clinicId, clinicId), inArray(services.id, ids), eq(services.active, true)));
  const byId = new Map(rows.map((s) => [s.id, s]));
  return items.map((item) => {
    const service = byId.get(item.serviceId);
    if (!service) {
      throw new DomainError("invalid", "One of the chosen services is no longer offered. Refresh the list and choose again.", "items");
    }
    return { serviceId: service.id, name: service.name, unitPriceCents: service.priceCents, quantity: item.quantity };
  });
}

/** One line for a paid amount, named after the clinic's service when the payment names one. */
async function amountLine(tx: Db, clinicId: string, amountCents: number, serviceId: string | null) {
  const [service] = serviceId ? await tx.select().from(services).where(and(eq(services.id, serviceId), eq(services.clinicId, clinicId))) : [];
  return [{ serviceId: service?.id ?? null, name: service?.name ?? "Payment", unitPriceCents: amountCents, quantity: 1 }];
}

/** The patient's reservation, reserved (and not yet expired) or captured, not used by another order, within the total. */
async function usableReservation(tx: Db, input: { clinicId: string; patientId: string; reservationId: string; totalCents: number; now: Date }) {
  const [row] = await tx
    .select()
    .from(creditReservations)
    .where(and(eq(creditReservations.id, input.reservationId), eq(creditReservations.clinicId, input.clinicId)))
    .for("update");
  if (!row || row.patientId !== input.patientId) throw new DomainError("not_found", "No such credit reservation for this patient.", "reservationId");
  if (row.orderId) throw new DomainError("conflict", "This credit reservation already paid for another order.", "reservationId");
  const live = row.status === "captured" || (row.status === "reserved" && row.expiresAt > input.now);
  if (!live) throw new DomainError("conflict", "This credit reservation was released or expired; reserve the credit again.", "reservationId");
  if (row.orderTotalCents !== input.totalCents) {
    throw new DomainError("invalid", "This order's total differs from the total the credit was reserved for; release it and reserve again.", "reservationId");
  }
  return row;
}

/** Rule A7: the reservation pays for this order, once; its held percent-off reward is used by it (P8). */
async function captureReservation(ctx: ServiceContext, input: { reservation: typeof creditReservations.$inferSelect; orderId: string; now: Date }) {
  const { reservation } = input;
  const tx = ctx.db;
  const [linked] = await tx
    .update(creditReservations)
    .set({ orderId: input.orderId, status: "captured", settledAt: reservation.settledAt ?? input.now })
    .where(and(eq(creditReservations.id, reservation.id), isNull(creditReservations.orderId)))
    .returning();
  if (!linked) throw new DomainError("conflict", "This credit reservation already paid for another order.", "reservationId");
  if (linked.discountRewardId) await tx.update(rewards).set({ usedByOrderId: input.orderId }).where(eq(rewards.id, linked.discountRewardId));
  if (reservation.status === "reserved") {
    await emit(tx, ctx.actor, { type: "credit.captured", clinicId: ctx.clinicId, data: { reservationId: linked.id, patientId: linked.patientId, amountCents: linked.amountCents } });
  }
}
