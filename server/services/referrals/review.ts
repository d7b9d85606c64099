import { and, desc, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { referrals, rewards, users } from "@/db/schema";
import { recordAccess } from "@/server/services/patients/access-audit";
import { emit } from "@/server/events/emit";
import { auditBy } from "@/server/kernel/audit";
import { withTransaction, type ServiceContext } from "@/server/kernel/context";
import { DomainError } from "@/server/kernel/errors";
import { releaseHeldRewards } from "@/server/services/rewards/qualify";

const referrer = alias(users, "referrer");
const referee = alias(users, "referee");

/** Rule P6: flagged referrals waiting for a person, with the evidence; rule N3: the look is audited with the read. */
export async function reviewQueue(ctx: ServiceContext) {
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const rows = await pendingReview(tx, clinicId);
    await recordAccess({ db: tx, actor, clinicId }, { action: "review_queue.view", patientIds: rows.flatMap((r) => [r.referrer.id, r.referee.id]) });
    return rows;
  });
}

async function pendingReview(db: Db, clinicId: string) {
  return db
    .select({
      id: referrals.id,
      status: referrals.status,
      flags: referrals.flags,
      createdAt: referrals.createdAt,
      referrer: { id: referrer.id, firstName: referrer.firstName, lastName: referrer.lastName, email: referrer.email },
      referee: { id: referee.id, firstName: referee.firstName, lastName: referee.lastName, email: referee.email },
    })
    .from(referrals)
    .innerJoin(referrer, eq(referrer.id, referrals.referrerId))
    .innerJoin(referee, eq(referee.id, referrals.refereeId))
    .where(and(eq(referrals.clinicId, clinicId), eq(referrals.reviewState, "pending")))
    .orderBy(desc(referrals.createdAt))
    .limit(200);
}

type Decision = { referralId: string; reason: string };
const referralIds = (r: { id: string; referrerId: string; refereeId: string }) => ({ referralId: r.id, referrerId: r.referrerId, refereeId: r.refereeId });

/**
 * Approving releases the held rewards. The conditional update lets exactly one of any number
 * of concurrent approvals act, so the rewards are paid once (rule P6, P7).
 */
export async function approveReferral(ctx: ServiceContext, input: Decision) {
  return withTransaction(ctx, async (inTx) => {
    const { db: tx, actor, clinicId } = inTx;
    const [approved] = await tx
      .update(referrals)
      .set({ reviewState: "approved", reviewNote: input.reason })
      .where(and(eq(referrals.id, input.referralId), eq(referrals.clinicId, clinicId), eq(referrals.reviewState, "pending")))
      .returning();
    if (!approved) throw await notPending(tx, clinicId, input);
    await emit(tx, actor, { type: "referral.approved", clinicId, data: referralIds(approved) }, { reason: input.reason });
    const released = await releaseHeldRewards(inTx, { referralId: approved.id });
    await auditBy(tx, actor, { clinicId, action: "referral.approve", targetType: "referral", targetId: approved.id, reason: input.reason, after: { released: released.length } });
    return { referralId: approved.id, released: released.length };
  });
}

/** Rejecting withholds the held rewards for good and makes the referral ineligible, with the reason. */
export async function rejectReferral(ctx: ServiceContext, input: Decision) {
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const [rejected] = await tx
      .update(referrals)
      .set({ reviewState: "rejected", reviewNote: input.reason, status: "ineligible", ineligibleReason: "rejected" })
      .where(and(eq(referrals.id, input.referralId), eq(referrals.clinicId, clinicId), eq(referrals.reviewState, "pending")))
      .returning();
    if (!rejected) throw await notPending(tx, clinicId, input);
    await tx
      .update(rewards)
      .set({ status: "withheld", statusReason: `Rejected after review: ${input.reason}` })
      .where(and(eq(rewards.referralId, rejected.id), eq(rewards.status, "held")));
    await emit(tx, actor, { type: "referral.rejected", clinicId, data: referralIds(rejected) }, { reason: input.reason });
    await auditBy(tx, actor, { clinicId, action: "referral.reject", targetType: "referral", targetId: rejected.id, reason: input.reason });
    return { referralId: rejected.id };
  });
}

async function notPending(tx: Db, clinicId: string, input: Decision) {
  const [row] = await tx
    .select({ reviewState: referrals.reviewState })
    .from(referrals)
    .where(and(eq(referrals.id, input.referralId), eq(referrals.clinicId, clinicId)));
  if (!row) return new DomainError("not_found", "No such referral at this clinic.");
  return new DomainError("conflict", `This referral is no longer waiting for review (it was ${row.reviewState === "approved" ? "approved" : row.reviewState === "rejected" ? "rejected" : "not flagged"}).`);
}
