import { and, eq, gt, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type Db } from "@/db/client";
import { activityEvents, clinics, creditLedger, dailyReferralStats, dailyReferrerStats, orders, referrals, referrerTotals, rewards, statsRollups } from "@/db/schema";
import { DASHBOARD_PERIODS, type DashboardPeriod } from "@/server/schemas/dashboard";
import { createTestDb, itConcurrently } from "@/server/testing/db";
import { clinicOf, codeOf, DEMO_SLUG, firstService, key, SECOND_SLUG, signUpPatient, userByEmail, paymentEvent, readerContext } from "@/server/testing/fixtures";
import { dashboardStats } from "./dashboard";
import { recordPaidOrder } from "@/server/services/orders/orders";
import { TestPaymentProvider } from "@/server/services/orders/payment-provider";
import { performRun } from "@/server/jobs/runs";
import { addDays, recountStatsFrom, rollUpAllClinics, rollUpStats } from "./rollup";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
const ids = { demo: "", second: "", alex: "", jordan: "", casey: "" };
const DAY = 86_400_000;
const ago = (days: number, hours = 0) => new Date(Date.now() - days * DAY - hours * 3_600_000);

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  ids.demo = (await clinicOf(db, DEMO_SLUG)).id;
  ids.second = (await clinicOf(db, SECOND_SLUG)).id;
  ids.alex = (await userByEmail(db, "patient@demo.test")).id;
  ids.jordan = (await userByEmail(db, "patient2@demo.test")).id;
  ids.casey = (await userByEmail(db, "patient@second.test")).id;

  // Today, through the real flows: two sign-ups, one qualified by a paid order.
  const code = await codeOf(db, ids.alex);
  const first = await signUpPatient(db, { code });
  await signUpPatient(db, { code });
  const service = await firstService(db, ids.demo);
  await recordPaidOrder({ db, actor: paymentEvent(ids.demo), clinicId: ids.demo }, { patientId: first.userId, items: [{ serviceId: service.id, quantity: 1 }], idempotencyKey: key() });

  // The past, on both sides of every period boundary.
  const channels = ["sms", "email", null, "qr", "copy"] as const;
  const past = [1, 2, 5, 6, 7, 8, 29, 30, 31, 45, 89, 90, 91, 200].flatMap((days, i) => [
    ...Array.from({ length: 3 + (i % 4) }, (_, j) => ({ clinicId: ids.demo, type: "click" as const, patientId: j % 2 ? ids.alex : ids.jordan, channel: channels[(i + j) % 5], createdAt: ago(days, j) })),
    { clinicId: ids.demo, type: "sign_up" as const, patientId: ids.alex, createdAt: ago(days, 1) },
    { clinicId: ids.demo, type: "qualification" as const, patientId: i % 3 ? ids.alex : ids.jordan, createdAt: ago(days, 2) },
    { clinicId: ids.second, type: "click" as const, patientId: ids.casey, channel: "sms" as const, createdAt: ago(days) },
    { clinicId: ids.second, type: "qualification" as const, patientId: ids.casey, createdAt: ago(days) },
  ]);
  await db.insert(activityEvents).values(past);

  // Past credit: a released reward and part of it spent, on each of those days (rule N2: ledger rows).
  const [made] = await db.select().from(referrals).where(eq(referrals.refereeId, first.userId));
  if (!made) throw new Error("no referral");
  const days = [1, 2, 6, 7, 29, 30, 89, 90, 200];
  const extra = await db
    .insert(rewards)
    .values(days.map((_, i) => ({ clinicId: ids.demo, patientId: ids.jordan, referralId: made.id, programVersionId: made.programVersionId, side: "milestone" as const, milestoneThreshold: 100 + i, kind: "credit" as const, amount: 1000 + i, status: "released" as const })))
    .returning();
  const grants = await db
    .insert(creditLedger)
    .values(extra.map((r, i) => ({ clinicId: ids.demo, patientId: ids.jordan, kind: "grant" as const, amountCents: r.amount, rewardId: r.id, createdAt: ago(days[i] ?? 0, 4) })))
    .returning();
  for (const [i, grant] of grants.entries()) {
    await db.insert(creditLedger).values({ clinicId: ids.demo, patientId: ids.jordan, kind: "redemption", amountCents: -(300 + i), grantId: grant.id, createdAt: ago(days[i] ?? 0, 3) });
  }

  // Revenue: a referee referred 40 days ago pays 35 days ago (counts) and paid 50 days ago (before the referral: does not).
  const late = await signUpPatient(db, { code });
  await db.update(referrals).set({ createdAt: ago(40) }).where(eq(referrals.refereeId, late.userId));
  const paid = (days: number, cents: number, patientId: string) => ({
    clinicId: ids.demo, patientId, status: "paid" as const, totalCents: cents, chargedCents: cents, paymentMethod: "in_clinic" as const, idempotencyKey: key(), paidAt: ago(days), createdAt: ago(days),
  });
  await db.insert(orders).values([paid(35, 11_000, late.userId), paid(50, 13_000, late.userId), paid(3, 17_000, ids.jordan)]);
});
afterAll(() => handle.drop());

/** The same numbers counted directly from the rows, the slow way. */
async function directCount(clinicId: string, period: DashboardPeriod) {
  const days = { "7d": 7, "30d": 30, "90d": 90, all: null }[period];
  // Rule A6: a period is counted in the clinic's own days, whatever the hour in UTC.
  const zone = sql`(select time_zone from ${clinics} where id = ${clinicId})`;
  const since = days ? sql`(now() at time zone ${zone})::date - ${days - 1}::int` : sql`'-infinity'::date`;
  const start = sql`(${since})::timestamp at time zone ${zone}`;
  const [row] = await queryRows<Record<string, number>>(
    db,
    sql`select
          (select count(*) from ${activityEvents} where clinic_id = ${clinicId} and type = 'click' and created_at >= ${start})::int as clicks,
          (select count(*) from ${activityEvents} where clinic_id = ${clinicId} and type = 'sign_up' and created_at >= ${start})::int as "signUps",
          (select count(*) from ${activityEvents} where clinic_id = ${clinicId} and type = 'qualification' and created_at >= ${start})::int as qualified,
          (select coalesce(sum(amount_cents), 0) from ${creditLedger} where clinic_id = ${clinicId} and unit = 'credit' and kind = 'grant' and reward_id is not null and created_at >= ${start})::int as "rewardsIssuedCents",
          (select -coalesce(sum(amount_cents), 0) from ${creditLedger} where clinic_id = ${clinicId} and unit = 'credit' and kind in ('redemption', 'redemption_release') and created_at >= ${start})::int as "rewardsRedeemedCents",
          (select coalesce(sum(o.total_cents), 0) from ${orders} o join ${referrals} r on r.referee_id = o.patient_id
            where o.clinic_id = ${clinicId} and o.paid_at is not null and o.paid_at >= ${start} and o.paid_at >= r.created_at)::int as "revenueCents"`,
  );
  const leaders = await queryRows<{ patient_id: string; n: number }>(
    db,
    sql`select patient_id, count(*)::int as n from ${activityEvents}
         where clinic_id = ${clinicId} and type = 'qualification' and created_at >= ${start} group by patient_id order by n desc, patient_id`,
  );
  return { totals: row, leaders: leaders.map((l) => ({ patientId: l.patient_id, qualified: l.n })) };
}

async function storedStats() {
  const rows = await db.select().from(dailyReferralStats).orderBy(dailyReferralStats.clinicId, dailyReferralStats.day, dailyReferralStats.channel);
  const referrers = await db.select().from(dailyReferrerStats).orderBy(dailyReferrerStats.clinicId, dailyReferrerStats.day, dailyReferrerStats.referrerId);
  const totals = await db.select().from(referrerTotals).orderBy(referrerTotals.clinicId, referrerTotals.referrerId);
  return { rows, referrers, totals };
}

describe("rule C1: dashboard numbers", () => {
  it("equal a direct count for every period, after the rollup, for each clinic alone (rule N1)", async () => {
    await rollUpAllClinics({ db });
    for (const clinicId of [ids.demo, ids.second]) {
      for (const period of DASHBOARD_PERIODS) {
        const stats = await dashboardStats(readerContext(db, clinicId), { period });
        const direct = await directCount(clinicId, period);
        expect(stats.totals, `${period}`).toEqual(direct.totals);
        expect(stats.leaderboard.map(({ patientId, qualified }) => ({ patientId, qualified })), period).toEqual(direct.leaders);
        expect(stats.series.reduce((n, p) => n + p.clicks, 0)).toBe(direct.totals?.clicks);
        expect(stats.channels.reduce((n, c) => n + c.clicks, 0)).toBe(direct.totals?.clicks);
      }
    }
    const [watermark] = await db.select().from(statsRollups).where(eq(statsRollups.clinicId, ids.demo));
    expect(watermark?.rolledUpThrough).not.toBeNull();
    expect((await storedStats()).rows.length).toBeGreaterThan(10);
  });

  it("reports funnel conversion, clicks by channel and a 7-day series", async () => {
    const stats = await dashboardStats(readerContext(db, ids.demo), { period: "7d" });
    expect(stats.series).toHaveLength(7);
    expect(stats.funnel.clickToSignUp).toBeCloseTo(stats.totals.signUps / stats.totals.clicks);
    expect(stats.funnel.signUpToQualified).toBeCloseTo(stats.totals.qualified / stats.totals.signUps);
    expect(stats.channels.map((c) => c.channel).sort()).toEqual(["copy", "direct", "email", "qr", "sms"]);
    expect(stats.leaderboard[0]).toMatchObject({ name: "Alex P." });
  });

  it("counts what happens after the rollup, live", async () => {
    const before = await dashboardStats(readerContext(db, ids.demo), { period: "7d" });
    await db.insert(activityEvents).values({ clinicId: ids.demo, type: "click", patientId: ids.alex, channel: "sms" });
    const after = await dashboardStats(readerContext(db, ids.demo), { period: "7d" });
    expect(after.totals.clicks).toBe(before.totals.clicks + 1);
  });

  it("rolls up idempotently: again, or recounted, the stored days are the same", async () => {
    await rollUpAllClinics({ db });
    const once = await storedStats();
    const [watermark] = await db.select().from(statsRollups).where(eq(statsRollups.clinicId, ids.demo));
    expect(await rollUpStats({ db, clinicId: ids.demo })).toBe(watermark?.rolledUpThrough);
    expect(await storedStats()).toEqual(once);

    await recountStatsFrom({ db, clinicId: ids.demo }, { day: "2000-01-01" });
    await rollUpStats({ db, clinicId: ids.demo });
    expect(await storedStats()).toEqual(once);

    // The daily path: days after an existing watermark are added to the referrer totals.
    await db.delete(dailyReferralStats);
    await db.delete(dailyReferrerStats);
    await db.delete(referrerTotals);
    await db.update(statsRollups).set({ rolledUpThrough: "2000-01-01" });
    await rollUpAllClinics({ db });
    expect(await storedStats()).toEqual(once);
  });

  itConcurrently("rolls up idempotently when many instances run it at once, recounted or never rolled up", async () => {
    await rollUpAllClinics({ db });
    const once = await storedStats();
    await recountStatsFrom({ db, clinicId: ids.demo }, { day: "2000-01-01" });
    await Promise.all(Array.from({ length: 6 }, () => rollUpStats({ db, clinicId: ids.demo })));
    expect(await storedStats()).toEqual(once);

    // A clinic never rolled up, by several instances at the same moment.
    await db.delete(statsRollups);
    await db.delete(dailyReferralStats);
    await db.delete(dailyReferrerStats);
    await db.delete(referrerTotals);
    await Promise.all([...Array.from({ length: 4 }, () => rollUpStats({ db, clinicId: ids.demo })), rollUpAllClinics({ db }), dashboardStats(readerContext(db, ids.demo), { period: "all" })]);
    expect(await storedStats()).toEqual(once);
    const stats = await dashboardStats(readerContext(db, ids.demo), { period: "all" });
    expect(stats.totals).toEqual((await directCount(ids.demo, "all")).totals);
  });

  it("shows a new clinic as empty, without failing", async () => {
    const [fresh] = await db.insert(clinics).values({ name: "New Clinic", slug: `new-${Date.now()}` }).returning();
    if (!fresh) throw new Error("no clinic");
    const stats = await dashboardStats(readerContext(db, fresh.id), { period: "all" });
    expect(stats.hasActivity).toBe(false);
    expect(stats.totals).toEqual({ clicks: 0, signUps: 0, qualified: 0, rewardsIssuedCents: 0, rewardsRedeemedCents: 0, revenueCents: 0 });
    expect(stats.leaderboard).toEqual([]);
  });
});

describe("rule C1: a dashboard read writes nothing", () => {
  /** Every period's answer, but for how far the stored part reaches. */
  async function answers(clinicId: string) {
    const all = [];
    for (const period of DASHBOARD_PERIODS) {
      const { rolledUpThrough: _through, ...stats } = await dashboardStats(readerContext(db, clinicId), { period });
      all.push(stats);
    }
    return all;
  }

  /** The dashboard inside a read-only transaction: a write anywhere in it fails the call. */
  const readOnly = (clinicId: string) =>
    db.transaction(async (tx) => {
      await tx.execute(sql`set transaction read only`);
      for (const period of DASHBOARD_PERIODS) await dashboardStats(readerContext(tx, clinicId), { period });
    });

  const watermarks = () => db.select().from(statsRollups).orderBy(statsRollups.clinicId);

  /** The stored stats as a rollup that last ran `days` days ago left them: nothing after its watermark. */
  async function behindBy(clinicId: string, days: number) {
    const [state] = await db.select().from(statsRollups).where(eq(statsRollups.clinicId, clinicId));
    if (!state?.rolledUpThrough) throw new Error("not rolled up");
    const through = addDays(state.rolledUpThrough, -days);
    await db.delete(dailyReferralStats).where(and(eq(dailyReferralStats.clinicId, clinicId), gt(dailyReferralStats.day, through)));
    await db.delete(dailyReferrerStats).where(and(eq(dailyReferrerStats.clinicId, clinicId), gt(dailyReferrerStats.day, through)));
    await db.delete(referrerTotals).where(eq(referrerTotals.clinicId, clinicId));
    await db.execute(sql`
      insert into ${referrerTotals} (clinic_id, referrer_id, qualified)
      select clinic_id, referrer_id, sum(qualified)::int from ${dailyReferrerStats} where clinic_id = ${clinicId} group by clinic_id, referrer_id`);
    await db.update(statsRollups).set({ rolledUpThrough: through }).where(eq(statsRollups.clinicId, clinicId));
  }

  it("counts every day after the rollup's watermark live, with the totals of a full rollup, and leaves the stored stats as they were", async () => {
    await rollUpAllClinics({ db });
    const rolledUp = { [ids.demo]: await answers(ids.demo), [ids.second]: await answers(ids.second) };
    const states = {
      // The daily run has not run for three days.
      "three days behind": (clinicId: string) => behindBy(clinicId, 3),
      // Days moved back for a recount: stored after the watermark, not rolled up again yet.
      "a recount pending": async (clinicId: string) => {
        const [state] = await db.select().from(statsRollups).where(eq(statsRollups.clinicId, clinicId));
        await recountStatsFrom({ db, clinicId }, { day: addDays(state?.rolledUpThrough ?? "", -2) });
      },
      // Never rolled up, or restarted after a change of zone.
      "nothing stored": async (clinicId: string) => {
        await db.delete(dailyReferralStats).where(eq(dailyReferralStats.clinicId, clinicId));
        await db.delete(dailyReferrerStats).where(eq(dailyReferrerStats.clinicId, clinicId));
        await db.delete(referrerTotals).where(eq(referrerTotals.clinicId, clinicId));
        await db.update(statsRollups).set({ rolledUpThrough: null }).where(eq(statsRollups.clinicId, clinicId));
      },
    };
    for (const [label, makeState] of Object.entries(states)) {
      await rollUpAllClinics({ db });
      for (const clinicId of [ids.demo, ids.second]) await makeState(clinicId);
      const stored = await storedStats();
      const marks = await watermarks();
      for (const clinicId of [ids.demo, ids.second]) {
        await readOnly(clinicId);
        expect(await answers(clinicId), label).toEqual(rolledUp[clinicId]);
      }
      expect(await storedStats(), label).toEqual(stored);
      expect(await watermarks(), label).toEqual(marks);
    }
  });

  it("rule A6: the clinic's daily run rolls the stats up to the last closed day; the dashboard's answer stays the same", async () => {
    await rollUpAllClinics({ db });
    const full = await storedStats();
    const [fullMark] = await db.select().from(statsRollups).where(eq(statsRollups.clinicId, ids.demo));
    const rolledUp = await answers(ids.demo);
    await behindBy(ids.demo, 3);

    const today = (await dashboardStats(readerContext(db, ids.demo), { period: "7d" })).to;
    const outcome = await performRun(db, new TestPaymentProvider(db), { name: "daily", clinicId: ids.demo, period: today });
    expect(outcome.ran).toBe(true);
    const [mark] = await db.select().from(statsRollups).where(eq(statsRollups.clinicId, ids.demo));
    expect(mark?.rolledUpThrough).toBe(fullMark?.rolledUpThrough);
    expect(await storedStats()).toEqual(full);
    expect(await answers(ids.demo)).toEqual(rolledUp);
  });
});
