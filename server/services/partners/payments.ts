import { desc, eq } from "drizzle-orm";
import { b2bPayments, b2bReferrals } from "@/db/schema";
import { actorUserId } from "@/server/events/actor";
import { emit } from "@/server/events/emit";
import { type PlatformContext, withTransaction } from "@/server/kernel/context";
import { DomainError } from "@/server/kernel/errors";
import { today } from "./lifecycle";
import { grantFlatCredit, grantShare } from "./rewards";

export type RecordPaymentInput = {
  referralId: string;
  kind: "maintenance" | "other";
  amountCents: number;
  receivedOn: string;
  periodStart: string;
  periodEnd: string;
  idempotencyKey: string;
  /** The day it is; the flat credit needs the launch to have happened by then. */
  asOf?: string;
};

/**
 * Rule B4 and N2: money received from a referred customer, once per idempotency key, and
 * the reward it earns, in the same transaction.
 */
export async function recordPayment(ctx: PlatformContext, input: RecordPaymentInput) {
  return withTransaction(ctx, async (txCtx) => {
    const { db: tx, actor } = txCtx;
    const [referral] = await tx.select().from(b2bReferrals).where(eq(b2bReferrals.id, input.referralId));
    if (!referral) throw new DomainError("not_found", "No such referral.");
    if (referral.status !== "won") throw new DomainError("precondition", "Payments can be recorded only for a won referral.");
    const [payment] = await tx
      .insert(b2bPayments)
      .values({
        referralId: input.referralId,
        kind: input.kind,
        amountCents: input.amountCents,
        receivedOn: input.receivedOn,
        periodStart: input.periodStart,
        periodEnd: input.periodEnd,
        idempotencyKey: input.idempotencyKey,
        recordedById: actorUserId(actor),
      })
      .onConflictDoNothing({ target: b2bPayments.idempotencyKey })
      .returning();
    if (!payment) {
      const [earlier] = await tx.select().from(b2bPayments).where(eq(b2bPayments.idempotencyKey, input.idempotencyKey));
      if (!earlier || earlier.referralId !== input.referralId || earlier.amountCents !== input.amountCents) {
        throw new DomainError("conflict", "This payment key was already used for a different payment.");
      }
      return { payment: earlier, replayed: true };
    }
    const data = { paymentId: payment.id, referralId: referral.id, kind: payment.kind, amountCents: payment.amountCents, receivedOn: payment.receivedOn };
    await emit(tx, actor, { type: "b2b.payment.recorded", clinicId: null, data });
    await grantShare(txCtx, { referral, payment });
    await grantFlatCredit(txCtx, { referralId: referral.id, asOf: input.asOf ?? today() });
    return { payment, replayed: false };
  });
}

export async function paymentsOf(ctx: PlatformContext, input: { referralId: string }) {
  return ctx.db.select().from(b2bPayments).where(eq(b2bPayments.referralId, input.referralId)).orderBy(desc(b2bPayments.receivedOn));
}
