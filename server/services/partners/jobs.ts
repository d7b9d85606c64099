import { systemActor } from "@/server/events/actor";
import type { PlatformContext } from "@/server/kernel/context";
import { expireStaleLeads } from "./lifecycle";
import { runPayouts } from "./payouts";
import { pruneRateLimits } from "@/server/kernel/rate-limit";
import { grantDueFlatCredits } from "./rewards";

/**
 * Rule A6: the daily job, acting as `ctx.actor` (the daily run's, B2B_DAILY_ACTOR). Every step is
 * a guarded update or a unique insert, so running it twice is harmless.
 */
export async function runDailyJobs(ctx: PlatformContext, input: { asOf: string }) {
  const expired = await expireStaleLeads(ctx, input);
  await grantDueFlatCredits(ctx, input);
  await pruneRateLimits(ctx.db);
  return { expired };
}

/** Rule B6: the monthly payout run for `month` (YYYY-MM), acting as `ctx.actor` (the monthly run's, MONTHLY_JOB_ACTOR). */
export const runMonthlyJobs = (ctx: PlatformContext, input: { month: string }) => runPayouts(ctx, { month: input.month });

/** The monthly run acts as itself in the audit and event logs (rule A6). */
export const MONTHLY_JOB_ACTOR = systemActor("runs.platform.monthly");
