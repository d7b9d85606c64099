import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { creditLedger, programVersions, referrals, rewards, type orders } from "@/db/schema";
import { recordEvents } from "./events";
import { closeGrants } from "./ledger";

type Reward = typeof rewards.$inferSelect;
const DAY_MS = 24 * 60 * 60 * 1000;

export type ReversalReport = { rewardId: string; patientId: string; reversed: number; alreadyRedeemed: number; kind: Reward["kind"] };

/**
 * Reverses one reward: a held one never pays; a released one loses what it still holds in the
 * ledger; what was already redeemed is reported, not taken back (rule P13). Only a reward in
 * `held` or `released` moves, once, whoever else is reversing it at the same moment.
 */
export async function reverseReward(tx: Db, reward: Reward, why: string): Promise<ReversalReport | null> {
  const [moved] = await tx
    .update(rewards)
    .set({ status: "reversed", statusReason: why })
    .where(and(eq(rewards.id, reward.id), inArray(rewards.status, ["held", "released"])))
    .returning();
  if (!moved) return null;
  let reversed = 0;
  let alreadyRedeemed = 0;
  if (reward.status === "released" && reward.kind !== "percent") {
    const grants = await tx.select({ id: creditLedger.id }).from(creditLedger).where(and(eq(creditLedger.rewardId, reward.id), eq(creditLedger.kind, "grant")));
    reversed = await closeGrants(tx, {
      clinicId: reward.clinicId,
      patientId: reward.patientId,
      unit: reward.kind === "points" ? "points" : "credit",
      grantIds: grants.map((g) => g.id),
      kind: "reversal",
      memo: `Reversed: ${why}`,
      includeExpired: true,
    });
    alreadyRedeemed = reward.amount - reversed;
  } else if (reward.kind === "percent") {
    alreadyRedeemed = reward.usedByOrderId ? reward.amount : 0;
  }
  const report = { rewardId: reward.id, patientId: reward.patientId, reversed, alreadyRedeemed, kind: reward.kind };
  await tx
    .update(rewards)
    .set({ statusReason: alreadyRedeemed ? `${why} (${describe(report)})` : why })
    .where(eq(rewards.id, reward.id));
  await recordEvents(tx, [
    {
      clinicId: reward.clinicId,
      type: "reversal",
      patientId: reward.patientId,
      referralId: reward.referralId,
      amountCents: reward.kind === "credit" ? reversed : null,
      detail: { rewardId: reward.id, reversed, alreadyRedeemed, kind: reward.kind, reason: why },
    },
  ]);
  return report;
}

function describe(r: ReversalReport): string {
  return r.kind === "credit"
    ? `$${(r.reversed / 100).toFixed(2)} reversed, $${(r.alreadyRedeemed / 100).toFixed(2)} already redeemed`
    : `${r.reversed} reversed, ${r.alreadyRedeemed} already used`;
}

/** Rule P13: a qualifying order refunded inside its referral's hold window reverses that referral's rewards. */
export async function reverseReferralRewards(
  tx: Db,
  input: { order: typeof orders.$inferSelect; actorId: string; reason: string },
): Promise<ReversalReport[] | null> {
  const [row] = await tx
    .select({ referral: referrals, holdDays: programVersions.holdDays })
    .from(referrals)
    .innerJoin(programVersions, eq(programVersions.id, referrals.programVersionId))
    .where(and(eq(referrals.qualifyingOrderId, input.order.id), eq(referrals.clinicId, input.order.clinicId)));
  if (!row?.referral.qualifiedAt) return null;
  const refundedAt = input.order.refundedAt ?? new Date();
  const insideWindow = refundedAt.getTime() - row.referral.qualifiedAt.getTime() <= row.holdDays * DAY_MS;
  if (!insideWindow) return null;
  const earned = await tx.select().from(rewards).where(eq(rewards.referralId, row.referral.id));
  const reports: ReversalReport[] = [];
  for (const reward of earned) {
    const report = await reverseReward(tx, reward, `Qualifying order refunded within the ${row.holdDays}-day hold window`);
    if (report) reports.push(report);
  }
  return reports;
}
