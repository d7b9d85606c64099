import type { Db } from "@/db/client";
import { systemActor } from "@/server/events/actor";
import { expireStaleLeads } from "./lifecycle";
import { runPayouts } from "./payouts";
import { pruneRateLimits } from "@/server/kernel/rate-limit";
import { grantDueFlatCredits } from "./rewards";

/** Rule A6: the daily job. Every step is a guarded update or a unique insert, so running it twice is harmless. */
export async function runDailyJobs(db: Db, asOf: string) {
  const expired = await expireStaleLeads(db, asOf);
  await grantDueFlatCredits(db, asOf);
  await pruneRateLimits(db);
  return { expired };
}

/** Rule B6: the monthly payout run for `month` (YYYY-MM). */
export const runMonthlyJobs = (db: Db, month: string) => runPayouts(db, { month, actor: MONTHLY_JOB_ACTOR });

/** The monthly run acts as itself in the audit and event logs (rule A6). */
export const MONTHLY_JOB_ACTOR = systemActor("runs.platform.monthly");
