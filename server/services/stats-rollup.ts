import { eq, sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { activityEvents, clinics, creditLedger, dailyReferralStats, dailyReferrerStats, orders, referrals, referrerTotals, statsRollups } from "@/db/schema";

/** A UTC calendar day, "YYYY-MM-DD". */
export type Day = string;

export function addDays(day: Day, days: number): Day {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export const startOf = (day: Day) => new Date(`${day}T00:00:00Z`);

/** A time as a query parameter that both drivers read the same way. */
const ts = (time: Date) => sql`${time.toISOString()}::timestamptz`;

/**
 * Rule C1: the dashboard's numbers for [from, to), per UTC day and channel, counted straight
 * from the event log (clicks, sign-ups, qualifications), the credit ledger (rewards released as
 * credit; credit spent net of what declined or refunded orders gave back) and paid orders of
 * referred patients. Revenue counts orders paid after the patient was referred, so
 * a referral attributed later does not rewrite days already rolled up.
 */
export function dayMetrics(clinicId: string, from: Date, to: Date): SQL {
  return sql`
    select day, channel,
           sum(clicks)::int as clicks, sum(sign_ups)::int as sign_ups, sum(qualified)::int as qualified,
           sum(issued)::int as rewards_issued_cents, sum(redeemed)::int as rewards_redeemed_cents, sum(revenue)::int as revenue_cents
      from (
        select (e.created_at at time zone 'UTC')::date as day,
               case when e.type = 'click' then coalesce(e.channel::text, 'direct') else 'none' end as channel,
               count(*) filter (where e.type = 'click') as clicks,
               count(*) filter (where e.type = 'sign_up') as sign_ups,
               count(*) filter (where e.type = 'qualification') as qualified,
               0 as issued, 0 as redeemed, 0 as revenue
          from ${activityEvents} e
         where e.clinic_id = ${clinicId} and e.created_at >= ${ts(from)} and e.created_at < ${ts(to)}
           and e.type in ('click', 'sign_up', 'qualification')
         group by 1, 2
        union all
        select (l.created_at at time zone 'UTC')::date, 'none', 0, 0, 0,
               coalesce(sum(l.amount_cents) filter (where l.kind = 'grant' and l.reward_id is not null), 0),
               -coalesce(sum(l.amount_cents) filter (where l.kind in ('redemption', 'redemption_release')), 0),
               0
          from ${creditLedger} l
         where l.clinic_id = ${clinicId} and l.unit = 'credit' and l.created_at >= ${ts(from)} and l.created_at < ${ts(to)}
         group by 1
        union all
        select (o.paid_at at time zone 'UTC')::date, 'none', 0, 0, 0, 0, 0, sum(o.total_cents)
          from ${orders} o
          -- One probe per order (a patient is referred at most once): a hash join would read every referral of the clinic.
          cross join lateral (
            select 1 from ${referrals} r
             where r.referee_id = o.patient_id and r.clinic_id = o.clinic_id and r.created_at <= o.paid_at limit 1
          ) r
         where o.clinic_id = ${clinicId} and o.paid_at >= ${ts(from)} and o.paid_at < ${ts(to)}
         group by 1
      ) m
     group by day, channel`;
}

/** Rule C1: qualified referrals per referrer and UTC day in [from, to), for the leaderboard. */
export function referrerMetrics(clinicId: string, from: Date, to: Date): SQL {
  return sql`
    select (e.created_at at time zone 'UTC')::date as day, e.patient_id as referrer_id, count(*)::int as qualified
      from ${activityEvents} e
     where e.clinic_id = ${clinicId} and e.type = 'qualification' and e.patient_id is not null
       and e.created_at >= ${ts(from)} and e.created_at < ${ts(to)}
     group by 1, 2`;
}

/**
 * The last day that may be rolled up: yesterday, or the day before in the first minutes after
 * midnight, since an event's time is its transaction's start and a late commit must not be missed.
 */
const lastClosedDay = sql`(((now() - interval '10 minutes') at time zone 'UTC')::date - 1)::text`;

/** How far the clinic's stats are stored, without waiting for a rollup in progress. */
export async function rolledUpThrough(db: Db, clinicId: string): Promise<{ through: Day | null; closed: Day }> {
  const [row] = await queryRows<{ through: Day | null; closed: Day }>(
    db,
    sql`select (select ${statsRollups.rolledUpThrough}::text from ${statsRollups} where ${statsRollups.clinicId} = ${clinicId}) as through,
               ${lastClosedDay} as closed`,
  );
  if (!row) throw new Error("no answer from the database clock");
  return row;
}

/**
 * Rule C1: stores the stats of every closed day not yet stored, recomputing each day whole, so
 * running it twice changes nothing. The watermark row's lock makes concurrent runs (several
 * app instances, the job and the dashboard) take turns; a late one finds nothing to do.
 */
export async function rollUpStats(db: Db, clinicId: string): Promise<Day | null> {
  return db.transaction(async (tx) => {
    await tx.insert(statsRollups).values({ clinicId }).onConflictDoNothing();
    const [state] = await queryRows<{ through: Day | null; closed: Day }>(
      tx,
      sql`select ${statsRollups.rolledUpThrough}::text as through, ${lastClosedDay} as closed
            from ${statsRollups} where ${statsRollups.clinicId} = ${clinicId} for update`,
    );
    if (!state) throw new Error("stats watermark vanished");
    if (state.through && state.through >= state.closed) return state.through;

    const first = state.through ? addDays(state.through, 1) : await firstDayWithData(tx, clinicId);
    if (first && first <= state.closed) {
      const from = startOf(first);
      const to = startOf(addDays(state.closed, 1));
      await tx.execute(sql`delete from ${dailyReferralStats} where clinic_id = ${clinicId} and day between ${first} and ${state.closed}`);
      const [gone] = await queryRows<{ n: number }>(
        tx,
        sql`with d as (delete from ${dailyReferrerStats} where clinic_id = ${clinicId} and day between ${first} and ${state.closed} returning 1)
            select count(*)::int as n from d`,
      );
      await tx.execute(sql`
        insert into ${dailyReferralStats} (clinic_id, day, channel, clicks, sign_ups, qualified, rewards_issued_cents, rewards_redeemed_cents, revenue_cents)
        select ${clinicId}, day, channel, clicks, sign_ups, qualified, rewards_issued_cents, rewards_redeemed_cents, revenue_cents
          from (${dayMetrics(clinicId, from, to)}) m`);
      await tx.execute(sql`
        insert into ${dailyReferrerStats} (clinic_id, day, referrer_id, qualified)
        select ${clinicId}, day, referrer_id, qualified from (${referrerMetrics(clinicId, from, to)}) m`);
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

/** The first UTC day with anything to count, or null for a clinic with no activity yet. */
async function firstDayWithData(db: Db, clinicId: string): Promise<Day | null> {
  const [row] = await queryRows<{ first: Day | null }>(
    db,
    sql`select (least(
          (select min(created_at) from ${activityEvents} where clinic_id = ${clinicId}),
          (select min(paid_at) from ${orders} where clinic_id = ${clinicId} and paid_at is not null)
        ) at time zone 'UTC')::date::text as first`,
  );
  return row?.first ?? null;
}

/**
 * Makes the days from `day` on be counted again at the next rollup, for data written into the
 * past (imports, backfills). The watermark only ever moves back here.
 */
export async function recountStatsFrom(db: Db, clinicId: string, day: Day): Promise<void> {
  await db
    .update(statsRollups)
    .set({ rolledUpThrough: sql`least(${statsRollups.rolledUpThrough}, ${addDays(day, -1)}::date)` })
    .where(eq(statsRollups.clinicId, clinicId));
}

/** The scheduled job (rule A6 style): rolls every clinic up; safe to run at any time, repeatedly. */
export async function rollUpAllClinics(db: Db): Promise<number> {
  const all = await db.select({ id: clinics.id }).from(clinics);
  for (const clinic of all) await rollUpStats(db, clinic.id);
  return all.length;
}
