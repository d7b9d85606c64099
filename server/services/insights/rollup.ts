import { eq, sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import type { ServiceContext } from "@/server/kernel/context";

/** The rollup is a projection: it needs the database and the clinic, and acts for nobody. */
type ProjectionContext = Pick<ServiceContext, "db" | "clinicId">;
import { activityEvents, clinics, creditLedger, dailyReferralStats, dailyReferrerStats, orders, referrals, referrerTotals, statsRollups } from "@/db/schema";

/** A calendar day in the clinic's time zone, "YYYY-MM-DD". */
export type Day = string;

export function addDays(day: Day, days: number): Day {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Rule A6: the instant a local day starts in the clinic's zone (DST days are 23 or 25 hours long). */
const startOf = (day: Day, timeZone: string) => sql`(${day}::date::timestamp at time zone ${timeZone})`;

/** The local day of a time column. */
const dayOf = (column: SQL, timeZone: string) => sql`(${column} at time zone ${timeZone})::date`;

/** The instants of the local days [from, to) of a time column; a null `from` is the first day there is. */
const within = (column: SQL, fromDay: Day | null, toDay: Day, timeZone: string) =>
  fromDay ? sql`${column} >= ${startOf(fromDay, timeZone)} and ${column} < ${startOf(toDay, timeZone)}` : sql`${column} < ${startOf(toDay, timeZone)}`;

/**
 * Rule C1: the dashboard's numbers for the local days [from, to), per day and channel, counted straight
 * from the event log (clicks, sign-ups, qualifications), the credit ledger (rewards released as
 * credit; credit spent net of what declined or refunded orders gave back) and paid orders of
 * referred patients. Revenue counts orders paid after the patient was referred, so
 * a referral attributed later does not rewrite days already rolled up.
 */
export function dayMetrics(clinicId: string, timeZone: string, fromDay: Day | null, toDay: Day): SQL {
  return sql`
    select day, channel,
           sum(clicks)::int as clicks, sum(sign_ups)::int as sign_ups, sum(qualified)::int as qualified,
           sum(issued)::int as rewards_issued_cents, sum(redeemed)::int as rewards_redeemed_cents, sum(revenue)::int as revenue_cents
      from (
        select ${dayOf(sql`e.created_at`, timeZone)} as day,
               case when e.type = 'click' then coalesce(e.channel::text, 'direct') else 'none' end as channel,
               count(*) filter (where e.type = 'click') as clicks,
               count(*) filter (where e.type = 'sign_up') as sign_ups,
               count(*) filter (where e.type = 'qualification') as qualified,
               0 as issued, 0 as redeemed, 0 as revenue
          from ${activityEvents} e
         where e.clinic_id = ${clinicId} and ${within(sql`e.created_at`, fromDay, toDay, timeZone)}
           and e.type in ('click', 'sign_up', 'qualification')
         group by 1, 2
        union all
        select ${dayOf(sql`l.created_at`, timeZone)}, 'none', 0, 0, 0,
               coalesce(sum(l.amount_cents) filter (where l.kind = 'grant' and l.reward_id is not null), 0),
               -coalesce(sum(l.amount_cents) filter (where l.kind in ('redemption', 'redemption_release')), 0),
               0
          from ${creditLedger} l
         where l.clinic_id = ${clinicId} and l.unit = 'credit' and ${within(sql`l.created_at`, fromDay, toDay, timeZone)}
         group by 1
        union all
        select ${dayOf(sql`o.paid_at`, timeZone)}, 'none', 0, 0, 0, 0, 0, sum(o.total_cents)
          from ${orders} o
          -- One probe per order (a patient is referred at most once): a hash join would read every referral of the clinic.
          cross join lateral (
            select 1 from ${referrals} r
             where r.referee_id = o.patient_id and r.clinic_id = o.clinic_id and r.created_at <= o.paid_at limit 1
          ) r
         where o.clinic_id = ${clinicId} and ${within(sql`o.paid_at`, fromDay, toDay, timeZone)}
         group by 1
      ) m
     group by day, channel`;
}

/** Rule C1: qualified referrals per referrer and local day in [from, to), for the leaderboard. */
export function referrerMetrics(clinicId: string, timeZone: string, fromDay: Day | null, toDay: Day): SQL {
  return sql`
    select ${dayOf(sql`e.created_at`, timeZone)} as day, e.patient_id as referrer_id, count(*)::int as qualified
      from ${activityEvents} e
     where e.clinic_id = ${clinicId} and e.type = 'qualification' and e.patient_id is not null
       and ${within(sql`e.created_at`, fromDay, toDay, timeZone)}
     group by 1, 2`;
}

/**
 * The last local day that may be rolled up: yesterday, or the day before in the first minutes
 * after local midnight, since an event's time is its transaction's start and a late commit must
 * not be missed. `zone` is SQL naming the clinic's time zone.
 */
const lastClosedDay = (zone: SQL) => sql`(((now() - interval '10 minutes') at time zone ${zone})::date - 1)::text`;

/**
 * Rule C1: stores the stats of every closed day not yet stored, recomputing each day whole, so
 * running it twice changes nothing. It runs in each clinic's daily run (rule A6); the dashboard
 * only reads what it stored. The watermark row's lock makes concurrent runs (several app
 * instances, a retried or hand-started run) take turns; a late one finds nothing to do.
 */
export async function rollUpStats(ctx: ProjectionContext): Promise<Day | null> {
  const { db, clinicId } = ctx;
  return db.transaction(async (tx) => {
    await tx.insert(statsRollups).values({ clinicId }).onConflictDoNothing();
    // The clinic's zone is read under the watermark's lock, which a change of zone also takes.
    const [state] = await queryRows<{ through: Day | null; closed: Day; time_zone: string }>(
      tx,
      sql`select s.rolled_up_through::text as through, ${lastClosedDay(sql`c.time_zone`)} as closed, c.time_zone
            from ${statsRollups} s join ${clinics} c on c.id = s.clinic_id
           where s.clinic_id = ${clinicId} for update of s`,
    );
    if (!state) throw new Error("stats watermark vanished");
    const timeZone = state.time_zone;
    if (state.through && state.through >= state.closed) return state.through;

    const first = state.through ? addDays(state.through, 1) : await firstDayWithData(tx, clinicId, timeZone);
    if (first && first <= state.closed) {
      const to = addDays(state.closed, 1);
      await tx.execute(sql`delete from ${dailyReferralStats} where clinic_id = ${clinicId} and day between ${first} and ${state.closed}`);
      const [gone] = await queryRows<{ n: number }>(
        tx,
        sql`with d as (delete from ${dailyReferrerStats} where clinic_id = ${clinicId} and day between ${first} and ${state.closed} returning 1)
            select count(*)::int as n from d`,
      );
      await tx.execute(sql`
        insert into ${dailyReferralStats} (clinic_id, day, channel, clicks, sign_ups, qualified, rewards_issued_cents, rewards_redeemed_cents, revenue_cents)
        select ${clinicId}, day, channel, clicks, sign_ups, qualified, rewards_issued_cents, rewards_redeemed_cents, revenue_cents
          from (${dayMetrics(clinicId, timeZone, first, to)}) m`);
      await tx.execute(sql`
        insert into ${dailyReferrerStats} (clinic_id, day, referrer_id, qualified)
        select ${clinicId}, day, referrer_id, qualified from (${referrerMetrics(clinicId, timeZone, first, to)}) m`);
      await updateReferrerTotals(tx, { clinicId, first, last: state.closed, recount: !state.through || Number(gone?.n ?? 0) > 0 });
    }
    await tx.update(statsRollups).set({ rolledUpThrough: state.closed }).where(eq(statsRollups.clinicId, clinicId));
    return state.closed;
  });
}

/**
 * Adds the newly stored days to each referrer's total; on the first rollup or a recount, when
 * stored days were replaced, sums the totals again from every stored day.
 */
async function updateReferrerTotals(tx: Db, input: { clinicId: string; first: Day; last: Day; recount: boolean }) {
  const { clinicId } = input;
  if (input.recount) {
    await tx.execute(sql`delete from ${referrerTotals} where clinic_id = ${clinicId}`);
    await tx.execute(sql`
      insert into ${referrerTotals} (clinic_id, referrer_id, qualified)
      select ${clinicId}, referrer_id, sum(qualified)::int from ${dailyReferrerStats} where clinic_id = ${clinicId} group by referrer_id`);
    return;
  }
  await tx.execute(sql`
    insert into ${referrerTotals} (clinic_id, referrer_id, qualified)
    select ${clinicId}, referrer_id, sum(qualified)::int from ${dailyReferrerStats}
     where clinic_id = ${clinicId} and day between ${input.first} and ${input.last} group by referrer_id
    on conflict (clinic_id, referrer_id) do update set qualified = ${referrerTotals}.qualified + excluded.qualified`);
}

/** The first local day with anything to count, or null for a clinic with no activity yet. */
async function firstDayWithData(db: Db, clinicId: string, timeZone: string): Promise<Day | null> {
  const [row] = await queryRows<{ first: Day | null }>(
    db,
    sql`select (least(
          (select min(created_at) from ${activityEvents} where clinic_id = ${clinicId}),
          (select min(paid_at) from ${orders} where clinic_id = ${clinicId} and paid_at is not null)
        ) at time zone ${timeZone})::date::text as first`,
  );
  return row?.first ?? null;
}

/**
 * Makes the days from `day` on be counted again at the next rollup, for data written into the
 * past (imports, backfills). The watermark only ever moves back here.
 */
export async function recountStatsFrom(ctx: ProjectionContext, input: { day: Day }): Promise<void> {
  await ctx.db
    .update(statsRollups)
    .set({ rolledUpThrough: sql`least(${statsRollups.rolledUpThrough}, ${addDays(input.day, -1)}::date)` })
    .where(eq(statsRollups.clinicId, ctx.clinicId));
}

/** Every clinic rolled up at once (the schedule does each in its own daily run, rule A6); safe to run at any time, repeatedly. */
export async function rollUpAllClinics(ctx: { db: Db }): Promise<number> {
  const all = await ctx.db.select({ id: clinics.id }).from(clinics);
  for (const clinic of all) await rollUpStats({ db: ctx.db, clinicId: clinic.id });
  return all.length;
}

/**
 * Rule A6: after a change of the clinic's zone the stored days are another zone's days: they are
 * dropped and counted again, whole, at the next rollup. Call it in the transaction of the change.
 */
export async function restartStats(ctx: ProjectionContext): Promise<void> {
  const { db: tx, clinicId } = ctx;
  await tx.insert(statsRollups).values({ clinicId }).onConflictDoNothing();
  await tx.execute(sql`select 1 from ${statsRollups} where clinic_id = ${clinicId} for update`);
  await tx.execute(sql`delete from ${dailyReferralStats} where clinic_id = ${clinicId}`);
  await tx.execute(sql`delete from ${dailyReferrerStats} where clinic_id = ${clinicId}`);
  await tx.execute(sql`delete from ${referrerTotals} where clinic_id = ${clinicId}`);
  await tx.update(statsRollups).set({ rolledUpThrough: null }).where(eq(statsRollups.clinicId, clinicId));
}
