import { clockNow } from "@/server/kernel/clock";
import { and, asc, eq, gt, isNull } from "drizzle-orm";
import { orders, referrals, rewards } from "@/db/schema";
import { systemActor } from "@/server/events/actor";
import { emit } from "@/server/events/emit";
import { releaseOrderCredit } from "@/server/services/rewards/ledger";
import { withTransaction, type PlatformContext, type ServiceContext } from "@/server/kernel/context";
import { lockPatients } from "@/server/kernel/locks";
import type { PaymentAttempt, PaymentProvider } from "./payment-provider";
import { qualifyReferral } from "@/server/services/rewards/qualify";

type Order = typeof orders.$inferSelect;

/** How long an open attempt may wait for the checkout that opened it to confirm it. */
export const OPEN_ATTEMPT_GRACE_MS = 2 * 60 * 1000;
const NOT_COMPLETED = "The payment did not go through, and nothing was charged. Please try again.";

export async function orderById(ctx: ServiceContext, input: { orderId: string }): Promise<Order | undefined> {
  const [row] = await ctx.db.select().from(orders).where(eq(orders.id, input.orderId));
  return row;
}

/** The provider's key for an order's attempt: the order's id, unique across clinics. */
const paymentKey = (order: Order) => `order_${order.id}`;

/**
 * Opens (or finds, for the same order) the order's payment attempt and stores its reference in
 * its own committed step, before anything is confirmed: a crash after this leaves a question the
 * provider can answer.
 */
export async function openAttempt(ctx: ServiceContext, payments: PaymentProvider, input: { order: Order }): Promise<PaymentAttempt> {
  const { order } = input;
  const attempt = await payments.open({ key: paymentKey(order), amountCents: order.chargedCents });
  await ctx.db
    .update(orders)
    .set({ paymentRef: attempt.reference })
    .where(and(eq(orders.id, order.id), eq(orders.status, "pending"), isNull(orders.paymentRef)));
  return attempt;
}

/**
 * Settles an order from its attempt: paid when the provider says succeeded; declined, with its
 * credit and discount returned, only once the provider says the attempt is canceled (a declined
 * one is canceled first, so it can never succeed later); otherwise left pending. `cancelOpen`:
 * nobody will confirm an open attempt any more, so it is voided too.
 */
export async function applyAttempt(ctx: ServiceContext, payments: PaymentProvider, input: { order: Order; attempt: PaymentAttempt; cancelOpen: boolean }): Promise<Order> {
  const { order, attempt } = input;
  const reason = attempt.failureReason;
  const settled = attempt.status === "failed" || (attempt.status === "open" && input.cancelOpen) ? await payments.cancel(attempt.reference) : attempt;
  if (settled.status === "succeeded") {
    const paid = await markOrderPaid(ctx, { orderId: order.id, paymentRef: settled.reference, cardLast4: settled.last4 });
    return paid ?? (await orderById(ctx, { orderId: order.id })) ?? order;
  }
  if (settled.status === "canceled") {
    return markOrderDeclined(ctx, { order, reason: reason ?? settled.failureReason ?? NOT_COMPLETED, cardLast4: settled.last4 ?? attempt.last4 });
  }
  return (await orderById(ctx, { orderId: order.id })) ?? order;
}

/**
 * Brings one pending order in line with the provider (a retry with the same key, and the
 * reconciliation run). Age alone never releases anything: past the grace it only means an open
 * or never-opened attempt is abandoned, so it is canceled, and the provider's answer decides.
 */
export async function settleOrder(ctx: ServiceContext, payments: PaymentProvider, input: { order: Order; now?: Date }): Promise<Order> {
  const { order } = input;
  const now = input.now ?? new Date();
  if (order.status !== "pending") return order;
  // Recorded as paid outside the portal (or nothing left to charge): the payment is not in doubt.
  if (order.paymentMethod === "in_clinic" || order.chargedCents === 0) {
    return (await markOrderPaid(ctx, { orderId: order.id, paymentRef: order.paymentRef })) ?? (await orderById(ctx, { orderId: order.id })) ?? order;
  }
  const abandoned = now.getTime() - order.createdAt.getTime() > OPEN_ATTEMPT_GRACE_MS;
  let reference = order.paymentRef;
  if (!reference) {
    // The checkout may still be about to open it; once abandoned, opening with the same key finds it, or makes one nobody confirms.
    if (!abandoned) return order;
    reference = (await openAttempt(ctx, payments, { order })).reference;
  }
  return applyAttempt(ctx, payments, { order, attempt: await payments.retrieve(reference), cancelOpen: abandoned });
}

/** The reconciliation run acts as itself in the audit and event logs (rule A6): its callers put it in the context. */
export const RECONCILE_JOB_ACTOR = systemActor("runs.platform.reconcile");

/**
 * Rule A6: the reconciliation run (every few minutes, and inside `npm run jobs:daily`): every
 * pending order is settled from the provider, in ordered batches until none is left. Safe to
 * repeat and to run on several instances: each settlement moves an order out of pending once.
 */
export async function reconcilePendingOrders(ctx: PlatformContext, payments: PaymentProvider, input: { now?: Date; batchSize?: number } = {}) {
  const { db, actor } = ctx;
  const now = input.now ?? new Date();
  const batchSize = input.batchSize ?? 100;
  const outcome = { paid: 0, declined: 0, pending: 0, errors: [] as string[] };
  let after: string | null = null;
  for (;;) {
    const batch: Order[] = await db
      .select()
      .from(orders)
      .where(and(eq(orders.status, "pending"), after ? gt(orders.id, after) : undefined))
      .orderBy(asc(orders.id))
      .limit(batchSize);
    for (const order of batch) {
      // One order the provider cannot answer for now does not hold up the rest; the next run asks again.
      // Each order is settled in its own clinic's context.
      const settled = await settleOrder({ db, actor, clinicId: order.clinicId }, payments, { order, now }).catch((error: unknown) => {
        outcome.errors.push(`order ${order.id}: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      });
      if (settled?.status === "paid") outcome.paid += 1;
      else if (settled?.status === "declined") outcome.declined += 1;
      else if (settled?.status === "pending") outcome.pending += 1;
    }
    const last = batch.at(-1);
    if (!last || batch.length < batchSize) return outcome;
    after = last.id;
  }
}

/**
 * Marks a pending order paid and runs what a payment sets off (rule P7). Safe to call any
 * number of times, concurrently: only the call that moves the order out of `pending` acts.
 */
export async function markOrderPaid(ctx: ServiceContext, input: { orderId: string; paymentRef: string | null; cardLast4?: string | null }) {
  return withTransaction(ctx, async (txCtx) => {
    const { db: tx, actor, clinicId } = txCtx;
    const order = await orderById(txCtx, { orderId: input.orderId });
    if (!order || order.clinicId !== clinicId || order.status !== "pending") return null;
    // Patients first (locks.ts): the buyer and the referrer a qualification would lock.
    const [referral] = await tx.select({ referrerId: referrals.referrerId }).from(referrals).where(eq(referrals.refereeId, order.patientId));
    await lockPatients(tx, { clinicId: order.clinicId, patientIds: [order.patientId, ...(referral ? [referral.referrerId] : [])] });
    const [paid] = await tx
      .update(orders)
      .set({ status: "paid", paidAt: clockNow, paymentRef: input.paymentRef, cardLast4: input.cardLast4 ?? null })
      .where(and(eq(orders.id, input.orderId), eq(orders.clinicId, clinicId), eq(orders.status, "pending")))
      .returning();
    if (!paid) return null;
    await emit(tx, actor, {
      type: "order.paid",
      clinicId: paid.clinicId,
      data: { orderId: paid.id, patientId: paid.patientId, totalCents: paid.totalCents, creditCents: paid.creditAppliedCents, paidCents: paid.chargedCents },
    });
    await qualifyReferral({ db: tx, actor, clinicId: paid.clinicId }, { refereeId: paid.patientId, event: "first_paid_order", orderId: paid.id });
    return paid;
  });
}

/** A payment that can no longer succeed: the order is declined and gives back its credit and discount, once. */
async function markOrderDeclined(ctx: ServiceContext, input: { order: Order; reason: string; cardLast4: string | null }) {
  return withTransaction(ctx, async (txCtx) => {
    const tx = txCtx.db;
    await lockPatients(tx, { clinicId: input.order.clinicId, patientIds: [input.order.patientId] });
    const [declined] = await tx
      .update(orders)
      .set({ status: "declined", declineReason: input.reason, cardLast4: input.cardLast4 })
      .where(and(eq(orders.id, input.order.id), eq(orders.status, "pending")))
      .returning();
    if (!declined) return (await orderById(txCtx, { orderId: input.order.id })) ?? input.order;
    await releaseOrderCredit({ db: tx, clinicId: declined.clinicId }, { patientId: declined.patientId, orderId: declined.id, memo: "Returned: the payment did not go through" });
    if (declined.discountRewardId) await tx.update(rewards).set({ usedByOrderId: null }).where(eq(rewards.id, declined.discountRewardId));
    return declined;
  });
}
