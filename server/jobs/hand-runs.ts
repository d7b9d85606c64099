import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { clinics, type RunName } from "@/db/schema";
import { summarizeError } from "@/server/log";
import type { PaymentProvider } from "@/server/services/orders/payment-provider";
import type { RunRef } from "@/server/services/ops/runs";
import { performRun } from "./runs";

/**
 * `npm run jobs:daily` and `jobs:monthly`: the scheduler's own runs, started by hand through the
 * same code (rule A6), so a period that already ran says so and does nothing.
 */
export async function runByHand(db: Db, payments: PaymentProvider, ref: RunRef, label: string, now = new Date()): Promise<string> {
  try {
    const outcome = await performRun(db, payments, ref, { now });
    if (outcome.ran) return `${label}: done${describe(outcome.run.result)}`;
    const run = outcome.run;
    if (!run) return `${label}: skipped, the clinic no longer exists`;
    const when = run.finishedAt ? ` at ${run.finishedAt.toISOString()}` : "";
    return run.status === "succeeded"
      ? `${label}: already ran${when} (${run.attempts} attempt(s)), nothing done`
      : `${label}: is being run elsewhere (started ${run.startedAt?.toISOString() ?? "just now"}), nothing done`;
  } catch (error) {
    const summary = summarizeError(error);
    throw new Error(`${label}: failed (${summary.name}${summary.code ? ` ${summary.code}` : ""}); the run is recorded as failed and may be run again`, { cause: error });
  }
}

function describe(result: Record<string, number> | null): string {
  const parts = Object.entries(result ?? {}).map(([key, value]) => `${key} ${value}`);
  return parts.length ? ` (${parts.join(", ")})` : "";
}

/** Each clinic, with its local day at `now` (or the given day). */
export async function clinicDays(db: Db, now: Date, day?: string): Promise<{ id: string; slug: string; day: string }[]> {
  return queryRows(
    db,
    sql`select id, slug, coalesce(${day ?? null}::text, to_char(${now.toISOString()}::timestamptz at time zone time_zone, 'YYYY-MM-DD')) as day
          from ${clinics} order by slug`,
  );
}

/** The platform's local day, or the month before its local month, at `now`. */
export async function platformPeriod(db: Db, now: Date, timeZone: string, name: Extract<RunName, "daily" | "monthly">): Promise<string> {
  const format = name === "daily" ? sql`to_char(t, 'YYYY-MM-DD')` : sql`to_char(date_trunc('month', t) - interval '1 month', 'YYYY-MM')`;
  const [row] = await queryRows<{ period: string }>(db, sql`select ${format} as period from (select ${now.toISOString()}::timestamptz at time zone ${timeZone} as t) n`);
  if (!row) throw new Error("no answer from the database clock");
  return row.period;
}

/** The five-minute slot (UTC) that `now` falls in, as the reconciliation run names its period. */
export function reconcileSlot(now: Date): string {
  const slot = new Date(Math.floor(now.getTime() / 300_000) * 300_000);
  return `${slot.toISOString().slice(0, 16)}Z`;
}
