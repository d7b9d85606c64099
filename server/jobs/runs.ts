import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { clinics, type RunName } from "@/db/schema";
import { env } from "@/server/env";
import { systemActor } from "@/server/events/actor";
import type { PlatformContext } from "@/server/kernel/context";
import { MONTHLY_JOB_ACTOR, runDailyJobs, runMonthlyJobs } from "@/server/services/partners/jobs";
import { B2B_DAILY_ACTOR } from "@/server/services/partners/lifecycle";
import { expireRewards, sendExpiryReminders } from "@/server/services/rewards/expiry";
import { purgeInboundPayloads } from "@/server/services/integrations/inbound/receive";
import { pruneIdempotencyKeys } from "@/server/services/integrations/api-keys";
import { expireDueReservations } from "@/server/services/orders/credit-checkout";
import { reconcilePendingOrders } from "@/server/services/orders/settle";
import type { PaymentProvider } from "@/server/services/orders/payment-provider";
import { claimRun, failRun, findRun, finishRun, pruneReconcileRuns, type RunRef, type RunRow, RunStepError } from "@/server/services/ops/runs";
import { sendStaffDigest } from "@/server/services/messages/digest";
import { rollUpStats } from "@/server/services/insights/rollup";
import type { Handler } from "./handlers";
import { queueDueRuns } from "./schedule";

/** What a run's steps are given: the scope, its period and zone, and the instant the run works "as of". */
export type RunContext = {
  db: Db;
  /** The run as the services' context: its scope, and the run as the audit and event logs name it ("runs.platform.reconcile"). */
  service: PlatformContext;
  payments: PaymentProvider;
  clinicId: string | null;
  period: string;
  timeZone: string;
  now: Date;
};

/** One step of a run; safe to repeat (rule A6), it reports counts only. */
type Step = { name: string; run: (context: RunContext) => Promise<Record<string, number>> };

/** The end of the run's local day, or now if that is sooner: a run never acts ahead of its day. */
async function asOfDay(context: RunContext): Promise<Date> {
  const [row] = await queryRows<{ ms: number }>(
    context.db,
    sql`select extract(epoch from least(${context.now.toISOString()}::timestamptz,
              ((${context.period}::date + 1)::timestamp at time zone ${context.timeZone}) - interval '1 millisecond')) * 1000 as ms`,
  );
  return new Date(Number(row?.ms));
}

/** The local day before a daily run's day, or the ISO week before a weekly run's week, as instants. */
async function periodBefore(context: RunContext, run: "daily" | "weekly"): Promise<{ from: Date; to: Date; periodLabel: string }> {
  const start = run === "daily" ? sql`${context.period}::date` : sql`to_date(${context.period.replace("-W", "-")}, 'IYYY-IW')`;
  const length = run === "daily" ? sql`interval '1 day'` : sql`interval '7 days'`;
  const [row] = await queryRows<{ from_ms: number; to_ms: number; label: string }>(
    context.db,
    sql`select extract(epoch from ((${start} - ${length})::timestamp at time zone ${context.timeZone})) * 1000 as from_ms,
               extract(epoch from (${start}::timestamp at time zone ${context.timeZone})) * 1000 as to_ms,
               to_char(${start} - ${length}, 'YYYY-MM-DD') as label`,
  );
  if (!row) throw new Error("the period could not be read");
  return { from: new Date(Number(row.from_ms)), to: new Date(Number(row.to_ms)), periodLabel: run === "daily" ? row.label : `the week of ${row.label}` };
}

function clinicIdOf(context: RunContext): string {
  if (!context.clinicId) throw new Error("a clinic run names its clinic");
  return context.clinicId;
}

/** The clinic's daily run, as the audit and event logs name it. */
const clinicDaily = (c: RunContext) => systemActor("runs.clinic.daily", clinicIdOf(c));
/** The clinic's weekly run, likewise. */
const clinicWeekly = (c: RunContext) => systemActor("runs.clinic.weekly", clinicIdOf(c));

/** Rule A6: what each run does, by scope. */
const CLINIC_RUNS: Partial<Record<RunName, Step[]>> = {
  daily: [
    // Rule P12: expiry and its reminders, for this clinic's rewards, as of its local day.
    { name: "expire rewards", run: async (c) => ({ rewardsExpired: await expireRewards({ db: c.db, actor: clinicDaily(c), clinicId: clinicIdOf(c) }, { now: await asOfDay(c) }) }) },
    { name: "expiry reminders", run: async (c) => ({ remindersQueued: await sendExpiryReminders({ db: c.db, actor: clinicDaily(c), clinicId: clinicIdOf(c) }, { now: await asOfDay(c) }) }) },
    // Rule C1: the dashboard's closed local days.
    { name: "stats rollup", run: async (c) => (await rollUpStats({ db: c.db, clinicId: clinicIdOf(c) }), {}) },
    // Rules A1, A2: the daily review, with the day before's numbers, to the staff who chose it.
    { name: "daily digest", run: async (c) => (await sendStaffDigest({ db: c.db, actor: clinicDaily(c), clinicId: clinicIdOf(c) }, { run: "daily", ...(await periodBefore(c, "daily")) }), {}) },
  ],
  // The weekly review (rules A1, A2): last week's numbers, on Monday.
  weekly: [{ name: "weekly digest", run: async (c) => (await sendStaffDigest({ db: c.db, actor: clinicWeekly(c), clinicId: clinicIdOf(c) }, { run: "weekly", ...(await periodBefore(c, "weekly")) }), {}) }],
};

/** The platform's daily and monthly runs act as themselves (rule A6), for no clinic. */
const platformDaily = (c: RunContext): PlatformContext => ({ db: c.db, actor: B2B_DAILY_ACTOR, clinicId: null });
const platformMonthly = (c: RunContext): PlatformContext => ({ db: c.db, actor: MONTHLY_JOB_ACTOR, clinicId: null });

const PLATFORM_RUNS: Partial<Record<RunName, Step[]>> = {
  reconcile: [
    // Rule A7: checkout reservations whose expiry job was lost or late are given back here too.
    { name: "expire checkout reservations", run: async (c) => ({ reservationsExpired: Number((await expireDueReservations(c.service)) ?? 0) }) },
    {
      name: "reconcile pending orders",
      run: async (c) => {
        const outcome = await reconcilePendingOrders(c.service, c.payments, { now: c.now });
        // The orders left pending are asked about again by the retry; the count alone is kept (rule N3).
        if (outcome.errors.length) throw new RunStepError(`${outcome.errors.length} pending order(s) could not be reconciled`);
        return { ordersPaid: outcome.paid, ordersDeclined: outcome.declined, ordersPending: outcome.pending };
      },
    },
  ],
  daily: [
    // Rules B3, B4: stale leads expire, due flat credits are granted; old rate-limit rows go.
    { name: "partner program daily", run: async (c) => ({ leadsExpired: (await runDailyJobs(platformDaily(c), { asOf: c.period })).expired }) },
    { name: "prune run records", run: async (c) => ({ runRecordsPruned: await pruneReconcileRuns(c.service, { now: c.now }) }) },
    { name: "prune API idempotency keys", run: async (c) => ({ idempotencyKeysPruned: Number((await pruneIdempotencyKeys(platformDaily(c))) ?? 0) }) },
    // Rule A5: inbound raw payloads are kept 30 days.
    { name: "purge inbound payloads", run: async (c) => ({ inboundPurged: Number((await purgeInboundPayloads(platformDaily(c))) ?? 0) }) },
  ],
  // Rule B6: the payout run for the month before.
  monthly: [{ name: "payout run", run: async (c) => ({ payoutLinesAdded: (await runMonthlyJobs(platformMonthly(c), { month: c.period })).added }) }],
};

export type RunOutcome = { ran: true; run: RunRow } | { ran: false; run: RunRow | null };

export type PerformOptions = {
  /** The queue job's id, or a fresh one for a hand run: only this runner may finish the run. */
  runnerId?: string;
  now?: Date;
  platformTimeZone?: string;
};

/**
 * Rule A6: does one run for one period, at most once however often and wherever it is fired:
 * the run's row is claimed first, and a run already done, or being worked by another instance,
 * is left alone. A failing step marks the run failed (step and error kind) and throws, so the
 * queue retries it; the retry claims the same row again and counts the attempt.
 */
export async function performRun(db: Db, payments: PaymentProvider, ref: RunRef, options: PerformOptions = {}): Promise<RunOutcome> {
  const steps = (ref.clinicId ? CLINIC_RUNS : PLATFORM_RUNS)[ref.name];
  if (!steps) throw new Error(`there is no ${ref.clinicId ? "clinic" : "platform"} ${ref.name} run`);
  let timeZone = options.platformTimeZone ?? env.PLATFORM_TIME_ZONE;
  if (ref.clinicId) {
    const [clinic] = await db.select({ timeZone: clinics.timeZone }).from(clinics).where(eq(clinics.id, ref.clinicId));
    // The clinic is gone (its runs went with it): nothing to do.
    if (!clinic) return { ran: false, run: null };
    timeZone = clinic.timeZone;
  }
  const runnerId = options.runnerId ?? randomUUID();
  const service: PlatformContext = { db, actor: systemActor(`runs.${ref.clinicId ? "clinic" : "platform"}.${ref.name}`, ref.clinicId), clinicId: ref.clinicId };
  const run = await claimRun(service, { name: ref.name, period: ref.period, runnerId });
  if (!run) return { ran: false, run: await findRun(service, { name: ref.name, period: ref.period }) };

  const context: RunContext = { db, service, payments, clinicId: ref.clinicId, period: ref.period, timeZone, now: options.now ?? new Date() };
  const result: Record<string, number> = {};
  for (const step of steps) {
    try {
      Object.assign(result, await step.run(context));
    } catch (error) {
      await failRun(service, { run: { id: run.id, runnerId }, step: step.name, error });
      throw error;
    }
  }
  await finishRun(service, { run: { id: run.id, runnerId }, result });
  return { ran: true, run: { ...run, status: "succeeded", result, lastError: null } };
}

/** Rule A6: one clinic's daily or weekly run for one local period. */
export const runClinicJob: Handler<"runs.clinic"> = async (data, { db, payments, job }) => {
  if (!data.clinicId) throw new Error("a clinic run names its clinic");
  await performRun(db, payments, { name: data.run, clinicId: data.clinicId, period: data.period }, { runnerId: job.id });
};

/** Rule A6: the platform's runs. */
export const runPlatformJob: Handler<"runs.platform"> = async (data, { db, payments, job }) => {
  await performRun(db, payments, { name: data.run, clinicId: null, period: data.period }, { runnerId: job.id });
};

/** Rule A6: the scheduler's tick (a pg-boss cron schedule): records and enqueues what is due now. */
export const runTick: Handler<"runs.tick"> = async (_data, { db }) => {
  await queueDueRuns(db, new Date(), { platformTimeZone: env.PLATFORM_TIME_ZONE });
};
