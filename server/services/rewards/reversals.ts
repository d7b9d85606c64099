import { and, asc, eq } from "drizzle-orm";
import { creditLedger, programVersions, referrals, rewards, type orders } from "@/db/schema";
import { emit } from "@/server/events/emit";
import type { ServiceContext } from "@/server/kernel/context";
import { closeGrants } from "./ledger";
import { rewardIds } from "./qualify";

type Reward = typeof rewards.$inferSelect;
const DAY_MS = 24 * 60 * 60 * 1000;

export type ReversalReport = { rewardId: string; patientId: string; reversed: number; alreadyRedeemed: number; kind: Reward["kind"] };

/**
 * Reverses one reward: a held one never pays; a released one loses what it still holds in the
 * ledger; what was already redeemed is reported, not taken back (rule P13). The decision is made
 * on the reward row as it stands under its lock, so an approval racing the reversal either lands
 * first (and its grant is closed here) or finds the reward reversed. `why` is for staff; the
 * patient's ledger shows `memo`. The caller holds the holder's row lock (see locks.ts).
 */
export async function reverseReward(ctx: ServiceContext, input: { rewardId: string; why: string; memo: string }): Promise<ReversalReport | null> {
  const { db: tx, actor } = ctx;
  const [reward] = await tx.select().from(rewards).where(eq(rewards.id, input.rewardId)).for("no key update");
  if (!reward || (reward.status !== "held" && reward.status !== "released")) return null;
  let reversed = 0;
  let alreadyRedeemed = 0;
  if (reward.status === "released" && reward.kind !== "percent") {
    const grants = await tx.select({ id: creditLedger.id }).from(creditLedger).where(and(eq(creditLedger.rewardId, reward.id), eq(creditLedger.kind, "grant")));
    reversed = await closeGrants({ ...ctx, clinicId: reward.clinicId }, {
      patientId: reward.patientId,
      unit: reward.kind === "points" ? "points" : "credit",
      grantIds: grants.map((g) => g.id),
      kind: "reversal",
      memo: input.memo,
      includeExpired: true,
    });
    alreadyRedeemed = reward.amount - reversed;
  } else if (reward.kind === "percent") {
    alreadyRedeemed = reward.usedByOrderId ? reward.amount : 0;
  }
  const report = { rewardId: reward.id, patientId: reward.patientId, reversed, alreadyRedeemed, kind: reward.kind };
  await tx
    .update(rewards)
    .set({ status: "reversed", statusReason: alreadyRedeemed ? `${input.why} (${describe(report)})` : input.why })
    .where(eq(rewards.id, reward.id));
  // The reason is staff's wording (or the rule's): the activity row keeps it, the event does not (rule N3).
  await emit(tx, actor, { type: "reward.reversed", clinicId: reward.clinicId, data: { ...rewardIds(reward), reversedAmount: reversed, redeemedAmount: alreadyRedeemed } }, { reason: input.why });
  return report;
}

function describe(r: ReversalReport): string {
  return r.kind === "credit"
    ? `$${(r.reversed / 100).toFixed(2)} reversed, $${(r.alreadyRedeemed / 100).toFixed(2)} already redeemed`
    : `${r.reversed} reversed, ${r.alreadyRedeemed} already used`;
}

/** The people whose rewards a refund of this order could reverse, to lock before the order (locks.ts). */
export async function rewardHoldersOf(ctx: ServiceContext, { order }: { order: Pick<typeof orders.$inferSelect, "id" | "clinicId"> }): Promise<string[]> {
  const rows = await ctx.db
    .select({ patientId: rewards.patientId })
    .from(rewards)
    .innerJoin(referrals, eq(referrals.id, rewards.referralId))
    .where(and(eq(referrals.qualifyingOrderId, order.id), eq(referrals.clinicId, order.clinicId)));
  return rows.map((r) => r.patientId);
}

/**
 * Rule P13: a qualifying order refunded inside its referral's hold window reverses that
 * referral's rewards. The caller holds the rows of every holder (rewardHoldersOf).
 */
export async function reverseReferralRewards(ctx: ServiceContext, input: { order: typeof orders.$inferSelect }): Promise<ReversalReport[] | null> {
  const tx = ctx.db;
  const [row] = await tx
    .select({ referral: referrals, holdDays: programVersions.holdDays })
    .from(referrals)
    .innerJoin(programVersions, eq(programVersions.id, referrals.programVersionId))
    .where(and(eq(referrals.qualifyingOrderId, input.order.id), eq(referrals.clinicId, input.order.clinicId)));
  if (!row?.referral.qualifiedAt) return null;
  const refundedAt = input.order.refundedAt ?? new Date();
  const insideWindow = refundedAt.getTime() - row.referral.qualifiedAt.getTime() <= row.holdDays * DAY_MS;
  if (!insideWindow) return null;
  const earned = await tx.select({ id: rewards.id }).from(rewards).where(eq(rewards.referralId, row.referral.id)).orderBy(asc(rewards.id));
  const reports: ReversalReport[] = [];
  for (const reward of earned) {
    const report = await reverseReward(ctx, {
      rewardId: reward.id,
      why: `Qualifying order refunded within the ${row.holdDays}-day hold window`,
      memo: REVERSAL_MEMO,
    });
    if (report) reports.push(report);
  }
  return reports;
}

/** What the patient reads in their history (rule P15); the reason stays with staff (audit, activity). */
export const REVERSAL_MEMO = "Reward reversed by the clinic";
