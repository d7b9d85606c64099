import { sql, type SQL } from "drizzle-orm";
import { queryRows } from "@/db/client";
import type { ServiceContext } from "@/server/kernel/context";
import { activityEvents, clinics, dailyReferralStats, dailyReferrerStats, referrerTotals, statsRollups, users } from "@/db/schema";
import type { DashboardPeriod } from "@/server/schemas/dashboard";
import { firstNameLastInitial } from "@/server/kernel/contact";
import { addDays, dayMetrics, referrerMetrics, type Day } from "./rollup";

const PERIOD_DAYS = { "7d": 7, "30d": 30, "90d": 90, all: null } as const;

export type Totals = {
  clicks: number;
  signUps: number;
  qualified: number;
  rewardsIssuedCents: number;
  rewardsRedeemedCents: number;
  revenueCents: number;
};

type MetricRow = {
  day: Day | null;
  channel: string | null;
  clicks: number;
  sign_ups: number;
  qualified: number;
  rewards_issued_cents: number;
  rewards_redeemed_cents: number;
  revenue_cents: number;
};

const zero = (): Totals => ({ clicks: 0, signUps: 0, qualified: 0, rewardsIssuedCents: 0, rewardsRedeemedCents: 0, revenueCents: 0 });

function add(into: Totals, row: MetricRow) {
  into.clicks += Number(row.clicks);
  into.signUps += Number(row.sign_ups);
  into.qualified += Number(row.qualified);
  into.rewardsIssuedCents += Number(row.rewards_issued_cents);
  into.rewardsRedeemedCents += Number(row.rewards_redeemed_cents);
  into.revenueCents += Number(row.revenue_cents);
}

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/**
 * Rule C1: the dashboard for one clinic (rule N1) and period: the stored daily stats through the
 * rollup's watermark plus every day after it counted live, read in one snapshot so the two parts
 * neither overlap nor miss. A read only: the rollup runs in the clinic's daily run, and the days
 * it has not stored yet (before the run, after a recount or a change of zone) are counted live.
 */
export async function dashboardStats(ctx: ServiceContext, input: { period: DashboardPeriod }) {
  const { db, clinicId } = ctx;
  return db.transaction(
    async (tx) => {
      // Rule A6: "today" and every day of the series are the clinic's local days.
      const [clock] = await queryRows<{ today: Day; time_zone: string; has_activity: boolean; through: Day | null }>(
        tx,
        sql`select (now() at time zone c.time_zone)::date::text as today, c.time_zone,
                   exists (select 1 from ${activityEvents} where clinic_id = ${clinicId}) as has_activity,
                   (select ${statsRollups.rolledUpThrough}::text from ${statsRollups} where ${statsRollups.clinicId} = ${clinicId}) as through
              from ${clinics} c where c.id = ${clinicId}`,
      );
      if (!clock) throw new Error("no such clinic");
      const timeZone = clock.time_zone;
      const through = clock.through;
      const days = PERIOD_DAYS[input.period];
      const start = days ? addDays(clock.today, -(days - 1)) : null;
      // Live from the day after the watermark, or the period's start if later; nothing stored: the start, or all time.
      const liveFrom = through && !(start && start > through) ? addDays(through, 1) : start;
      const liveTo = addDays(clock.today, 1);

      const stored = !through
        ? []
        : await queryRows<MetricRow & { by_channel: number }>(
            tx,
            sql`select day::text as day, channel, grouping(day) as by_channel,
                       sum(clicks) as clicks, sum(sign_ups) as sign_ups, sum(qualified) as qualified,
                       sum(rewards_issued_cents) as rewards_issued_cents, sum(rewards_redeemed_cents) as rewards_redeemed_cents,
                       sum(revenue_cents) as revenue_cents
                  from ${dailyReferralStats}
                 where clinic_id = ${clinicId} and day <= ${through}::date ${start ? sql`and day >= ${start}::date` : sql``}
                 group by grouping sets ((day), (channel))`,
          );
      const live = await queryRows<MetricRow>(tx, dayMetrics(clinicId, timeZone, liveFrom, liveTo));
      const leaders = await queryRows<{ id: string; first_name: string; last_name: string; qualified: number }>(
        tx,
        sql`with top as (${start ? periodLeaders(clinicId, timeZone, start, through, liveFrom, liveTo) : allTimeLeaders(clinicId, timeZone, through, liveFrom, liveTo)})
            select u.id, u.first_name, u.last_name, top.qualified
              from top join ${users} u on u.id = top.referrer_id and u.clinic_id = ${clinicId}
             where top.qualified > 0
             order by top.qualified desc, top.referrer_id`,
      );

      const byDay = new Map<Day, Totals>();
      const byChannel = new Map<string, number>();
      const totals = zero();
      for (const row of stored) {
        if (Number(row.by_channel) === 1) {
          if (row.channel !== "none" && row.channel) byChannel.set(row.channel, (byChannel.get(row.channel) ?? 0) + Number(row.clicks));
          continue;
        }
        if (row.day) add(bucketOf(byDay, row.day), row);
        add(totals, row);
      }
      for (const row of live) {
        if (row.channel && row.channel !== "none") byChannel.set(row.channel, (byChannel.get(row.channel) ?? 0) + Number(row.clicks));
        if (row.day) add(bucketOf(byDay, row.day), row);
        add(totals, row);
      }

      return {
        period: input.period,
        from: start,
        to: clock.today,
        rolledUpThrough: through,
        hasActivity: clock.has_activity,
        totals,
        // Rule C1: conversion through the funnel, click -> sign-up -> qualified.
        funnel: {
          clickToSignUp: ratio(totals.signUps, totals.clicks),
          signUpToQualified: ratio(totals.qualified, totals.signUps),
          clickToQualified: ratio(totals.qualified, totals.clicks),
        },
        series: seriesOf(byDay, start, clock.today),
        channels: [...byChannel.entries()].map(([channel, clicks]) => ({ channel, clicks })).sort((a, b) => b.clicks - a.clicks || a.channel.localeCompare(b.channel)),
        leaderboard: leaders.map((l) => ({ patientId: l.id, name: firstNameLastInitial(l.first_name, l.last_name), qualified: Number(l.qualified) })),
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/** Rule C1: the ten referrers with most qualified referrals since `start`: stored days plus live ones. */
function periodLeaders(clinicId: string, timeZone: string, start: Day, through: Day | null, liveFrom: Day | null, liveTo: Day): SQL {
  const stored = through
    ? sql`select referrer_id, qualified from ${dailyReferrerStats} where clinic_id = ${clinicId} and day >= ${start}::date and day <= ${through}::date
          union all`
    : sql``;
  return sql`
    select referrer_id, sum(qualified)::int as qualified
      from (
        ${stored}
        select referrer_id, qualified from (${referrerMetrics(clinicId, timeZone, liveFrom, liveTo)}) l
      ) s
     group by referrer_id
     order by qualified desc, referrer_id
     limit 10`;
}

/**
 * All time, from the stored totals. They sum every stored day; days stored after the watermark
 * (moved back for a recount and not rolled up again yet) are counted live instead, so they are
 * taken off. With C referrers changed so (active since the watermark, or with days after it
 * stored), the top ten are among the stored top 10 + C and those C, so only those rows are read.
 */
function allTimeLeaders(clinicId: string, timeZone: string, through: Day | null, liveFrom: Day | null, liveTo: Day): SQL {
  return sql`
    with live as (
      select referrer_id, sum(qualified) as qualified from (${referrerMetrics(clinicId, timeZone, liveFrom, liveTo)}) m group by referrer_id
    ), stale as (
      select referrer_id, sum(qualified) as qualified from ${dailyReferrerStats}
       where clinic_id = ${clinicId} ${through ? sql`and day > ${through}::date` : sql``}
       group by referrer_id
    ), changed as (
      select referrer_id from live union select referrer_id from stale
    )
    select c.referrer_id, (coalesce(t.qualified, 0) - coalesce(s.qualified, 0) + coalesce(l.qualified, 0))::int as qualified
      from (
        (select referrer_id from ${referrerTotals} where clinic_id = ${clinicId} order by qualified desc nulls last, referrer_id
          limit 10 + (select count(*) from changed))
        union
        select referrer_id from changed
      ) c
      left join ${referrerTotals} t on t.clinic_id = ${clinicId} and t.referrer_id = c.referrer_id
      left join stale s on s.referrer_id = c.referrer_id
      left join live l on l.referrer_id = c.referrer_id
     order by qualified desc, c.referrer_id
     limit 10`;
}

function bucketOf(map: Map<Day, Totals>, day: Day): Totals {
  let totals = map.get(day);
  if (!totals) map.set(day, (totals = zero()));
  return totals;
}

/** Every day of a bounded period, zeros included; months for all time. */
function seriesOf(byDay: Map<Day, Totals>, start: Day | null, today: Day) {
  const point = (bucket: string, t: Totals) => ({ bucket, clicks: t.clicks, signUps: t.signUps, qualified: t.qualified });
  if (start) {
    const points = [];
    for (let day = start; day <= today; day = addDays(day, 1)) points.push(point(day, byDay.get(day) ?? zero()));
    return points;
  }
  const byMonth = new Map<string, Totals>();
  for (const [day, t] of byDay) {
    const month = bucketOf(byMonth, day.slice(0, 7));
    month.clicks += t.clicks;
    month.signUps += t.signUps;
    month.qualified += t.qualified;
  }
  const months = [...byMonth.keys()].sort();
  const points = [];
  for (let month = months[0]; month && month <= today.slice(0, 7); month = nextMonth(month)) points.push(point(month, byMonth.get(month) ?? zero()));
  return points;
}

function nextMonth(month: string): string {
  const [year = 0, m = 1] = month.split("-").map(Number);
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, "0")}`;
}
