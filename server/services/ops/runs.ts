import { and, asc, desc, eq, isNull, lt, lte, sql } from "drizzle-orm";
import { type RunName, scheduledRuns } from "@/db/schema";
import type { PlatformContext } from "@/server/kernel/context";
import { summarizeError } from "@/server/log";

/** One run: what, for whom (a clinic, or null for the platform) and for which period. */
export type RunRef = { name: RunName; clinicId: string | null; period: string };
/** A run of the context's scope (`ctx.clinicId`: the clinic, or null for the platform). */
type RunOfScope = Omit<RunRef, "clinicId">;
export type RunRow = typeof scheduledRuns.$inferSelect;

/** The period formats, per run (rule A6). */
const PERIOD_FORMATS: Record<RunName, RegExp> = {
  reconcile: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/,
  daily: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
  weekly: /^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/,
  monthly: /^\d{4}-(0[1-9]|1[0-2])$/,
};

export function isPeriodOf(name: RunName, period: string): boolean {
  return PERIOD_FORMATS[name].test(period);
}

/** A hand run or a retried job that finds its run still marked running this long takes it over. */
const STALE_AFTER = sql`interval '15 minutes'`;

const sameScope = (ref: RunRef) =>
  and(eq(scheduledRuns.name, ref.name), ref.clinicId ? eq(scheduledRuns.clinicId, ref.clinicId) : isNull(scheduledRuns.clinicId), eq(scheduledRuns.period, ref.period));

/**
 * Rule A6: takes the run for `runnerId` (a queue job's id, or a fresh one for a hand run):
 * creates its row if the scheduler has not, then marks it running if it is queued, failed
 * (a retry), or still running under this same runner (a worker that died mid-run and whose job
 * is retried) or a long-silent one. Anything else (done, or being worked by another instance)
 * answers null and the caller does nothing: the row's lock makes two claims take turns.
 */
export async function claimRun(ctx: PlatformContext, input: RunOfScope & { runnerId: string }): Promise<RunRow | null> {
  const { db } = ctx;
  const { runnerId } = input;
  const ref: RunRef = { name: input.name, clinicId: ctx.clinicId, period: input.period };
  if (!isPeriodOf(ref.name, ref.period)) throw new Error(`"${ref.period}" is not a period of the ${ref.name} run`);
  await db.insert(scheduledRuns).values(ref).onConflictDoNothing();
  const [claimed] = await db
    .update(scheduledRuns)
    .set({ status: "running", attempts: sql`${scheduledRuns.attempts} + 1`, runnerId, startedAt: sql`now()`, finishedAt: null })
    .where(
      and(
        sameScope(ref),
        sql`(${scheduledRuns.status} in ('queued', 'failed')
             or (${scheduledRuns.status} = 'running' and (${scheduledRuns.runnerId} = ${runnerId} or ${scheduledRuns.startedAt} < now() - ${STALE_AFTER})))`,
      ),
    )
    .returning();
  return claimed ?? null;
}

export async function findRun(ctx: PlatformContext, input: RunOfScope): Promise<RunRow | null> {
  const [row] = await ctx.db.select().from(scheduledRuns).where(sameScope({ name: input.name, clinicId: ctx.clinicId, period: input.period }));
  return row ?? null;
}

/** The run is done; only the runner that holds it may say so. */
export async function finishRun(ctx: PlatformContext, input: { run: { id: string; runnerId: string }; result: Record<string, number> }): Promise<void> {
  const { run, result } = input;
  await ctx.db
    .update(scheduledRuns)
    .set({ status: "succeeded", result, lastError: null, finishedAt: sql`now()` })
    .where(and(eq(scheduledRuns.id, run.id), eq(scheduledRuns.runnerId, run.runnerId)));
}

/** The run failed at `step`; its retry takes it again. The error is kept by kind only (rule N3). */
export async function failRun(ctx: PlatformContext, input: { run: { id: string; runnerId: string }; step: string; error: unknown }): Promise<void> {
  const { run, step, error } = input;
  await ctx.db
    .update(scheduledRuns)
    .set({ status: "failed", lastError: runErrorText(step, error), finishedAt: sql`now()` })
    .where(and(eq(scheduledRuns.id, run.id), eq(scheduledRuns.runnerId, run.runnerId)));
}

/**
 * A failure a run step reports in its own words: counts and kinds, never personal data, so
 * its message may be shown to admins.
 */
export class RunStepError extends Error {
  override name = "RunStepError";
}

function runErrorText(step: string, error: unknown): string {
  if (error instanceof RunStepError) return `${step}: ${error.message}`.slice(0, 300);
  const summary = summarizeError(error);
  const kind = [summary.name, summary.code && `code ${summary.code}`, summary.constraint && `constraint ${summary.constraint}`].filter(Boolean).join(", ");
  return `${step}: ${kind}`.slice(0, 300);
}

/** Rule A6: a clinic's (or, with null, the platform's) recent runs, newest first, up to `perName` of each kind. */
export async function recentRuns(ctx: PlatformContext, { perName = 20 }: { perName?: number } = {}): Promise<RunRow[]> {
  const { db, clinicId } = ctx;
  const ranked = db
    .select({ id: scheduledRuns.id, n: sql<number>`row_number() over (partition by ${scheduledRuns.name} order by ${scheduledRuns.queuedAt} desc, ${scheduledRuns.period} desc)`.as("n") })
    .from(scheduledRuns)
    .where(clinicId ? eq(scheduledRuns.clinicId, clinicId) : isNull(scheduledRuns.clinicId))
    .as("ranked");
  const rows = await db
    .select({ run: scheduledRuns })
    .from(scheduledRuns)
    .innerJoin(ranked, eq(ranked.id, scheduledRuns.id))
    .where(lte(ranked.n, perName))
    .orderBy(desc(scheduledRuns.queuedAt), asc(scheduledRuns.name));
  return rows.map((row) => row.run);
}

/** The five-minute reconciliation leaves 288 rows a day: succeeded ones older than `days` go. */
export async function pruneReconcileRuns(ctx: PlatformContext, input: { now: Date; days?: number }): Promise<number> {
  const { now, days = 14 } = input;
  const gone = await ctx.db
    .delete(scheduledRuns)
    .where(and(eq(scheduledRuns.name, "reconcile"), eq(scheduledRuns.status, "succeeded"), lt(scheduledRuns.queuedAt, new Date(now.getTime() - days * 86_400_000))))
    .returning({ id: scheduledRuns.id });
  return gone.length;
}
