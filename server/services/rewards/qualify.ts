import { clockNow, currentTime } from "@/server/kernel/clock";
import { and, count, eq, gt, inArray, ne, sql, sum } from "drizzle-orm";
import type { Db } from "@/db/client";
import { creditLedger, programs, programVersions, referrals, rewards, users, type QUALIFYING_EVENTS } from "@/db/schema";
import { emit } from "@/server/events/emit";
import type { ServiceContext } from "@/server/kernel/context";
import type { ProgramVersion } from "@/server/services/programs/programs";

type QualifyingEvent = (typeof QUALIFYING_EVENTS)[number];
type Reward = typeof rewards.$inferSelect;
type NewReward = typeof rewards.$inferInsert;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Rule P7: the referee's first qualifying event (the one the referral's own terms name)
 * qualifies the referral and releases both rewards, exactly once. The conditional update is
 * the gate: of any number of concurrent deliveries, one finds `signed_up` and the rest find
 * nothing to do; unique indexes on rewards and ledger grants stand behind it.
 */
export async function qualifyReferral(ctx: ServiceContext, input: { refereeId: string; event: QualifyingEvent; orderId?: string }): Promise<{ referralId: string } | null> {
  const { db: tx, actor, clinicId } = ctx;
  const [program] = await tx.select({ enabled: programs.enabled }).from(programs).where(eq(programs.clinicId, clinicId));
  // Rule P1: while paused no rewards are created; the referral waits for a later event.
  if (!program?.enabled) return null;

  const [referral] = await tx
    .update(referrals)
    .set({ status: "qualified", qualifiedAt: clockNow, qualifyingOrderId: input.orderId ?? null })
    .where(
      and(
        eq(referrals.clinicId, clinicId),
        eq(referrals.refereeId, input.refereeId),
        eq(referrals.status, "signed_up"),
        inArray(
          referrals.programVersionId,
          tx.select({ id: programVersions.id }).from(programVersions).where(eq(programVersions.qualifyingEvent, input.event)),
        ),
      ),
    )
    .returning();
  if (!referral) return null;

  // The referrer's row lock serializes their limits (P10) and milestones (P11).
  const [referrer] = await tx
    .select({ disabledAt: users.disabledAt, governmentPayer: users.governmentPayer })
    .from(users)
    .where(eq(users.id, referral.referrerId))
    .for("no key update");
  // Rule P6: a referrer disabled since the sign-up earns nothing.
  if (referrer?.disabledAt) {
    await tx.update(referrals).set({ status: "ineligible", ineligibleReason: "referrer_disabled" }).where(eq(referrals.id, referral.id));
    await emit(tx, actor, { type: "referral.ineligible", clinicId: referral.clinicId, data: { ...referralIds(referral), reason: "referrer_disabled" } });
    return null;
  }
  const [version] = await tx.select().from(programVersions).where(eq(programVersions.id, referral.programVersionId));
  if (!version) throw new Error("referral without its program version");

  const held = referral.reviewState === "pending";
  const limits = await referrerLimits(tx, { referral, version });
  const overLimit = limits.reached;
  const planned: NewReward[] = [
    { side: "referrer" as const, patientId: referral.referrerId, kind: version.referrerRewardKind, amount: version.referrerRewardAmount },
    { side: "referee" as const, patientId: referral.refereeId, kind: version.refereeRewardKind, amount: version.refereeRewardAmount },
  ]
    .filter((r) => r.amount > 0)
    .map((r) => ({
      ...r,
      clinicId: referral.clinicId,
      referralId: referral.id,
      programVersionId: version.id,
      status: overLimit ? ("withheld" as const) : held ? ("held" as const) : ("released" as const),
      statusReason: overLimit ?? (held ? "Waiting for staff review" : null),
    }));
  const milestones = overLimit ? [] : await reachedMilestones(tx, { referral, version, held });

  // Each reward is capped counting the ones decided before it in this same qualification.
  const decided: NewReward[] = [];
  for (const reward of [...planned, ...milestones]) {
    const capped = reward.side === "milestone" ? withinYearlyValue(reward, version, limits.yearCents + earnedCredit(decided, reward.patientId)) : reward;
    decided.push(await applyGovernmentCap(tx, capped, version, earnedCredit(decided, capped.patientId)));
  }

  const inserted = decided.length ? await tx.insert(rewards).values(decided).onConflictDoNothing().returning() : [];
  await emit(tx, actor, {
    type: "referral.qualified",
    clinicId: referral.clinicId,
    data: { ...referralIds(referral), qualifyingEvent: input.event, orderId: input.orderId ?? null },
  });
  for (const r of inserted) {
    await emit(tx, actor, { type: "reward.issued", clinicId: r.clinicId, data: { ...rewardIds(r), status: r.status, statusReason: r.statusReason } });
  }
  await releaseIntoLedger(ctx, { released: inserted.filter((r) => r.status === "released"), version });
  return { referralId: referral.id };
}

const live = ["held", "released"] as const;

const referralIds = (r: { id: string; referrerId: string; refereeId: string }) => ({ referralId: r.id, referrerId: r.referrerId, refereeId: r.refereeId });
/** A reward as the catalog names it (rule N3: ids, side, kind and amount only). */
export const rewardIds = (r: Reward) => ({ rewardId: r.id, patientId: r.patientId, referralId: r.referralId, side: r.side, kind: r.kind, amount: r.amount });

/** Credit (cents) among rewards already decided for this holder: they count toward the caps too. */
function earnedCredit(decided: NewReward[], patientId: string): number {
  return decided
    .filter((r) => r.patientId === patientId && r.kind === "credit" && (r.status === "held" || r.status === "released"))
    .reduce((total, r) => total + r.amount, 0);
}

/**
 * Rule P10: caps on rewarded referrals per referrer (per year, lifetime) and on yearly value.
 * The value counts milestone bonuses as well as referral rewards; `yearCents` is what the
 * referrer already earned in the last 365 days.
 */
async function referrerLimits(tx: Db, input: { referral: typeof referrals.$inferSelect; version: ProgramVersion }): Promise<{ reached: string | null; yearCents: number }> {
  const { referral, version } = input;
  if (version.maxRewardedPerYear === null && version.maxRewardedLifetime === null && version.maxRewardValuePerYearCents === null) return { reached: null, yearCents: 0 };
  const mine = and(eq(rewards.patientId, referral.referrerId), inArray(rewards.status, live), ne(rewards.referralId, referral.id));
  const yearAgo = sql`${clockNow} - interval '365 days'`;
  const [lifetime] = await tx
    .select({ n: count() })
    .from(rewards)
    .where(and(mine, eq(rewards.side, "referrer")));
  const [year] = await tx
    .select({
      n: sql<number>`count(*) filter (where ${rewards.side} = 'referrer')`.mapWith(Number),
      cents: sum(sql`case when ${rewards.kind} = 'credit' then ${rewards.amount} else 0 end`).mapWith(Number),
    })
    .from(rewards)
    .where(and(mine, inArray(rewards.side, ["referrer", "milestone"]), gt(rewards.createdAt, yearAgo)));
  const yearCents = year?.cents ?? 0;
  if (version.maxRewardedLifetime !== null && (lifetime?.n ?? 0) >= version.maxRewardedLifetime) {
    return { reached: `Over the limit of ${version.maxRewardedLifetime} rewarded referrals per referrer`, yearCents };
  }
  if (version.maxRewardedPerYear !== null && (year?.n ?? 0) >= version.maxRewardedPerYear) {
    return { reached: `Over the limit of ${version.maxRewardedPerYear} rewarded referrals per referrer per year`, yearCents };
  }
  const value = version.referrerRewardKind === "credit" ? version.referrerRewardAmount : 0;
  if (version.maxRewardValuePerYearCents !== null && yearCents + value > version.maxRewardValuePerYearCents) {
    return { reached: valueCapReason(version.maxRewardValuePerYearCents), yearCents };
  }
  return { reached: null, yearCents };
}

const valueCapReason = (cap: number) => `Over the yearly reward value cap of $${(cap / 100).toFixed(2)} per referrer`;

/** Rule P10: a milestone credit that would take the referrer over the yearly value cap is withheld, with the reason. */
function withinYearlyValue(reward: NewReward, version: ProgramVersion, earnedCents: number): NewReward {
  const cap = version.maxRewardValuePerYearCents;
  if (cap === null || reward.kind !== "credit" || reward.status === "withheld" || earnedCents + reward.amount <= cap) return reward;
  return { ...reward, status: "withheld", statusReason: valueCapReason(cap) };
}

/** Rule P11: bonuses at N qualified referrals, each paid once (a partial unique index per referrer and N over live rewards). */
async function reachedMilestones(
  tx: Db,
  input: { referral: typeof referrals.$inferSelect; version: ProgramVersion; held: boolean },
): Promise<NewReward[]> {
  const { referral, version } = input;
  if (!version.milestones.length) return [];
  const [qualified] = await tx
    .select({ n: count() })
    .from(referrals)
    .where(and(eq(referrals.referrerId, referral.referrerId), eq(referrals.status, "qualified")));
  const reached = qualified?.n ?? 0;
  // Paid (or waiting for review) already; a withheld or reversed one can be earned again.
  const paid = await tx
    .select({ threshold: rewards.milestoneThreshold })
    .from(rewards)
    .where(and(eq(rewards.patientId, referral.referrerId), eq(rewards.side, "milestone"), inArray(rewards.status, live)));
  const paidThresholds = new Set(paid.map((p) => p.threshold));
  return version.milestones
    .filter((m) => m.threshold <= reached && !paidThresholds.has(m.threshold))
    .map((m) => ({
      clinicId: referral.clinicId,
      patientId: referral.referrerId,
      referralId: referral.id,
      programVersionId: version.id,
      side: "milestone" as const,
      milestoneThreshold: m.threshold,
      kind: m.kind,
      amount: m.amount,
      status: input.held ? ("held" as const) : ("released" as const),
      statusReason: input.held ? "Waiting for staff review" : `Bonus for ${m.threshold} qualified referrals`,
    }));
}

/**
 * For patients whose care a government program pays, a credit above the per-reward or the
 * yearly cap becomes the clinic's non-cash option (points) or is withheld, with the reason.
 */
async function applyGovernmentCap(tx: Db, reward: NewReward, version: ProgramVersion, decidedCents: number): Promise<NewReward> {
  if (reward.kind !== "credit" || reward.status === "withheld") return reward;
  const [holder] = await tx.select({ governmentPayer: users.governmentPayer }).from(users).where(eq(users.id, reward.patientId));
  if (!holder?.governmentPayer) return reward;
  const [year] = await tx
    .select({ cents: sum(rewards.amount).mapWith(Number) })
    .from(rewards)
    .where(
      and(
        eq(rewards.patientId, reward.patientId),
        eq(rewards.kind, "credit"),
        inArray(rewards.status, live),
        gt(rewards.createdAt, sql`${clockNow} - interval '365 days'`),
      ),
    );
  const overItem = reward.amount > version.governmentItemCapCents;
  const overYear = (year?.cents ?? 0) + decidedCents + reward.amount > version.governmentYearCapCents;
  if (!overItem && !overYear) return reward;
  const why = overItem
    ? `Above the $${(version.governmentItemCapCents / 100).toFixed(2)} per-reward cap for government-program patients`
    : `Above the $${(version.governmentYearCapCents / 100).toFixed(2)} yearly cap for government-program patients`;
  if (version.governmentOverCapAction === "points") {
    return { ...reward, kind: "points", amount: Math.floor(reward.amount / 100), statusReason: `${why}: given as points instead` };
  }
  return { ...reward, status: "withheld", statusReason: why };
}

/**
 * Released money and points enter the ledger once per reward (a unique index); percent rewards
 * wait for the next order. Each release is a `reward.released` event: the reward is usable now.
 */
export async function releaseIntoLedger(ctx: ServiceContext, input: { released: Reward[]; version: Pick<ProgramVersion, "rewardExpiryDays" | "expiryReminderDays"> }) {
  const { db: tx, actor } = ctx;
  const { released, version } = input;
  const now = (await currentTime(tx)).getTime();
  for (const reward of released) {
    const expiresAt = version.rewardExpiryDays ? new Date(now + version.rewardExpiryDays * DAY_MS) : null;
    const remindAt = expiresAt ? new Date(expiresAt.getTime() - version.expiryReminderDays * DAY_MS) : null;
    await tx.update(rewards).set({ releasedAt: new Date(now), expiresAt, remindAt }).where(eq(rewards.id, reward.id));
    if (reward.kind === "percent") continue;
    await tx
      .insert(creditLedger)
      .values({
        clinicId: reward.clinicId,
        patientId: reward.patientId,
        unit: reward.kind === "points" ? "points" : "credit",
        kind: "grant",
        amountCents: reward.amount,
        rewardId: reward.id,
        expiresAt,
        memo: MEMOS[reward.side],
      })
      .onConflictDoNothing();
  }
  for (const reward of released) await emit(tx, actor, { type: "reward.released", clinicId: reward.clinicId, data: rewardIds(reward) });
}

const MEMOS = {
  referrer: "Referral reward: your friend's first visit",
  referee: "Welcome credit for joining through a friend",
  milestone: "Milestone bonus for your referrals",
} as const;

/** Releases a referral's held rewards (rule P6: after a person approved it). Only held rows move, once. */
export async function releaseHeldRewards(ctx: ServiceContext, input: { referralId: string }): Promise<Reward[]> {
  const tx = ctx.db;
  const released = await tx
    .update(rewards)
    .set({ status: "released", statusReason: "Approved after review" })
    .where(and(eq(rewards.referralId, input.referralId), eq(rewards.status, "held")))
    .returning();
  const [first] = released;
  if (!first) return [];
  const [version] = await tx.select().from(programVersions).where(eq(programVersions.id, first.programVersionId));
  if (!version) throw new Error("reward without its program version");
  await releaseIntoLedger(ctx, { released, version });
  return released;
}
