import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { orderItems, orders } from "@/db/schema";
import type { ServiceContext } from "@/server/kernel/context";

/** The patient's recent orders with their lines, for the portal (rule N1: one clinic, one patient). */
export async function portalOrders(ctx: ServiceContext, input: { patientId: string }) {
  const { db, clinicId } = ctx;
  const rows = await db
    .select({
      id: orders.id,
      status: orders.status,
      totalCents: orders.totalCents,
      creditAppliedCents: orders.creditAppliedCents,
      chargedCents: orders.chargedCents,
      cardLast4: orders.cardLast4,
      declineReason: orders.declineReason,
      createdAt: orders.createdAt,
    })
    .from(orders)
    .where(and(eq(orders.clinicId, clinicId), eq(orders.patientId, input.patientId)))
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(50);
  if (rows.length === 0) return [];

  const lines = await db
    .select({ orderId: orderItems.orderId, name: orderItems.name, quantity: orderItems.quantity })
    .from(orderItems)
    .innerJoin(orders, eq(orders.id, orderItems.orderId))
    .where(
      and(
        eq(orders.clinicId, clinicId),
        eq(orders.patientId, input.patientId),
        inArray(
          orderItems.orderId,
          rows.map((r) => r.id),
        ),
      ),
    )
    .orderBy(asc(orderItems.createdAt), asc(orderItems.id));
  const byOrder = new Map<string, { name: string; quantity: number }[]>();
  for (const { orderId, ...line } of lines) byOrder.set(orderId, [...(byOrder.get(orderId) ?? []), line]);
  return rows.map((row) => ({ ...row, items: byOrder.get(row.id) ?? [] }));
}
