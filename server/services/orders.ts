import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { orderItems, orders, services, users } from "@/db/schema";
import type { CardInput } from "@/server/schemas/orders";
import { DomainError } from "./errors";
import type { PaymentProvider } from "./payments";
import { applyCredit, qualifyReferral, releaseOrderCredit } from "./rewards";

export type Order = typeof orders.$inferSelect;
type Item = { serviceId: string; quantity: number };

type OpenOrderInput = {
  clinicId: string;
  patientId: string;
  items: Item[];
  idempotencyKey: string;
  paymentMethod: Order["paymentMethod"];
  recordedById?: string;
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
      .for("update");
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
        recordedById: input.recordedById,
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

    const credit = await applyCredit(tx, { ...input, orderId: order.id, maxCents: totalCents });
    if (credit === 0) return { order, created: true };
    const [withCredit] = await tx
      .update(orders)
      .set({ creditAppliedCents: credit, chargedCents: totalCents - credit })
      .where(eq(orders.id, order.id))
      .returning();
    return { order: withCredit ?? order, created: true };
  });
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
    throw new DomainError("CONFLICT", "This request key was already used for another order. Reload the page and try again.");
  }
  return order;
}

async function priceItems(tx: Db, clinicId: string, items: Item[]) {
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
 * Marks a pending order paid and runs what a payment sets off (rule P7). Safe to call any
 * number of times, concurrently: only the call that moves the order out of `pending` acts.
 */
export async function markOrderPaid(db: Db, input: { clinicId: string; orderId: string; paymentRef: string | null; cardLast4?: string }) {
  return db.transaction(async (tx) => {
    const [paid] = await tx
      .update(orders)
      .set({ status: "paid", paidAt: new Date(), paymentRef: input.paymentRef, cardLast4: input.cardLast4 })
      .where(and(eq(orders.id, input.orderId), eq(orders.clinicId, input.clinicId), eq(orders.status, "pending")))
      .returning();
    if (!paid) return null;
    await qualifyReferral(tx, { clinicId: paid.clinicId, refereeId: paid.patientId, orderId: paid.id });
    return paid;
  });
}

async function markOrderDeclined(db: Db, input: { order: Order; reason: string; cardLast4: string }) {
  return db.transaction(async (tx) => {
    const [declined] = await tx
      .update(orders)
      .set({ status: "declined", declineReason: input.reason, cardLast4: input.cardLast4 })
      .where(and(eq(orders.id, input.order.id), eq(orders.status, "pending")))
      .returning();
    if (declined) await releaseOrderCredit(tx, { clinicId: declined.clinicId, patientId: declined.patientId, orderId: declined.id });
    return declined ?? input.order;
  });
}

/** Portal checkout: credit first (rule P9), the card for the rest. */
export async function checkout(
  db: Db,
  payments: PaymentProvider,
  input: { clinicId: string; patientId: string; items: Item[]; card: CardInput; idempotencyKey: string },
): Promise<Order> {
  const { order, created } = await openOrder(db, { ...input, paymentMethod: "card" });
  if (!created || order.status !== "pending") return (await orderById(db, order.id)) ?? order;
  if (order.chargedCents === 0) return (await markOrderPaid(db, { clinicId: order.clinicId, orderId: order.id, paymentRef: null })) ?? order;

  const result = await payments.charge({ amountCents: order.chargedCents, card: input.card, idempotencyKey: input.idempotencyKey });
  if (!result.ok) return markOrderDeclined(db, { order, reason: result.reason, cardLast4: result.last4 });
  return (
    (await markOrderPaid(db, { clinicId: order.clinicId, orderId: order.id, paymentRef: result.reference, cardLast4: result.last4 })) ??
    order
  );
}

/**
 * A paid order from outside the portal: the front desk took payment, or a payment event
 * arrived. Credit is applied (rule P9) and the remainder is what the patient paid.
 */
export async function recordPaidOrder(
  db: Db,
  input: { clinicId: string; patientId: string; items: Item[]; idempotencyKey: string; paymentRef?: string; recordedById?: string },
): Promise<Order> {
  const { order } = await openOrder(db, { ...input, paymentMethod: "in_clinic" });
  const paid = await markOrderPaid(db, { clinicId: order.clinicId, orderId: order.id, paymentRef: input.paymentRef ?? null });
  return paid ?? (await orderById(db, order.id)) ?? order;
}

async function orderById(db: Db, orderId: string) {
  const [row] = await db.select().from(orders).where(eq(orders.id, orderId));
  return row;
}

export async function clinicCatalog(db: Db, clinicId: string) {
  return db
    .select({ id: services.id, name: services.name, description: services.description, priceCents: services.priceCents })
    .from(services)
    .where(and(eq(services.clinicId, clinicId), eq(services.active, true)))
    .orderBy(services.name);
}
