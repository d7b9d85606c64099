import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { clinics, type RunName, scheduledRuns } from "@/db/schema";
import type { RunRef } from "@/server/services/ops/runs";
import { enqueue } from "@/server/queue/boss";

/** Rule A6: daily and weekly runs start at this local hour (03:00) in their clinic's or the platform's zone. */
export const RUN_HOUR = 3;

/**
 * The tick's pg-boss cron schedule: every minute, in the database, so however many instances run
 * the scheduler each minute is fired once. What is due is decided by `queueDueRuns`, not by cron.
 */
export const TICK_CRON = "* * * * *";

/**
 * Rule A6: every run due at `now` that has no row yet gets its row and its job, in one transaction:
 *  - reconcile: each five-minute slot (UTC), for the platform;
 *  - daily: each clinic's local day (and the platform's) from RUN_HOUR on, so a tick that comes
 *    late (every instance down at 03:00) still runs it that day;
 *  - weekly: each clinic's ISO week ("2026-W49"), from Monday RUN_HOUR on, any day of that week;
 *  - monthly: the month before, from the 1st at RUN_HOUR (platform zone) on, any day of the month.
 * The row's unique (name, scope, period) makes ticks from several instances, or a repeated tick,
 * enqueue each run once; the ticks also take turns on a transaction lock so they queue quietly.
 */
export async function queueDueRuns(db: Db, now: Date, options: { platformTimeZone: string }): Promise<RunRef[]> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const hour = sql`${RUN_HOUR}::int`;
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('scheduled_runs.tick'))`);
    const due = await queryRows<{ name: RunName; clinic_id: string | null; period: string }>(
      tx,
      sql`with clinic_time as (
            select c.id as clinic_id, (${at} at time zone c.time_zone) as t from ${clinics} c
          ), platform_time as (
            select (${at} at time zone ${options.platformTimeZone}) as t
          ), due (name, clinic_id, period) as (
            select 'reconcile'::run_name, null::uuid,
                   to_char(date_bin('5 minutes', ${at}, timestamptz '2000-01-01 00:00:00+00') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"')
            union all
            select 'daily'::run_name, null::uuid, to_char(t, 'YYYY-MM-DD') from platform_time where extract(hour from t) >= ${hour}
            union all
            select 'monthly'::run_name, null::uuid, to_char(date_trunc('month', t) - interval '1 month', 'YYYY-MM')
              from platform_time where extract(day from t) > 1 or extract(hour from t) >= ${hour}
            union all
            select 'daily'::run_name, clinic_id, to_char(t, 'YYYY-MM-DD') from clinic_time where extract(hour from t) >= ${hour}
            union all
            select 'weekly'::run_name, clinic_id, to_char(t, 'IYYY-"W"IW') from clinic_time
             where extract(isodow from t) > 1 or extract(hour from t) >= ${hour}
          )
          insert into ${scheduledRuns} (name, clinic_id, period)
          select name, clinic_id, period from due
           where not exists (
             select 1 from ${scheduledRuns} r
              where r.name = due.name and r.clinic_id is not distinct from due.clinic_id and r.period = due.period)
          on conflict do nothing
          returning name, clinic_id, period`,
    );
    for (const run of due) {
      if (run.clinic_id) {
        if (run.name !== "daily" && run.name !== "weekly") throw new Error(`no clinic ${run.name} run`);
        await enqueue(tx, "runs.clinic", { clinicId: run.clinic_id, run: run.name, period: run.period });
      } else {
        if (run.name === "weekly") throw new Error("no platform weekly run");
        await enqueue(tx, "runs.platform", { clinicId: null, run: run.name, period: run.period });
      }
    }
    return due.map((run) => ({ name: run.name, clinicId: run.clinic_id, period: run.period }));
  });
}
