import { TRPCError } from "@trpc/server";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type Db } from "@/db/client";
import { activityEvents, auditLog, clinics, dailyReferralStats, scheduledRuns } from "@/db/schema";
import { dashboardStats } from "@/server/services/insights/dashboard";
import { createProgram } from "@/server/services/programs/programs";
import { type RunRef } from "@/server/services/ops/runs";
import { rollUpStats } from "@/server/services/insights/rollup";
import { createTestDb, itConcurrently } from "@/server/testing/db";
import { callerAs, clinicOf, DEMO_SLUG, userByEmail, readerContext } from "@/server/testing/fixtures";
import { queueDueRuns } from "./schedule";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
const zone = { platformTimeZone: "America/New_York" };

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
});
afterAll(() => handle.drop());

async function clinicIn(timeZone: string, slug: string) {
  const [clinic] = await db.insert(clinics).values({ name: slug, slug, timeZone }).returning();
  if (!clinic) throw new Error("no clinic");
  await createProgram({ db, clinicId: clinic.id });
  return clinic.id;
}

const of = (refs: RunRef[], clinicId: string | null) => refs.filter((r) => r.clinicId === clinicId).map((r) => `${r.name} ${r.period}`).sort();

/** The jobs the scheduler sent for one run, by its queue payload. */
async function jobsFor(ref: RunRef): Promise<number> {
  const queue = ref.clinicId ? "runs.clinic" : "runs.platform";
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from pgboss.job where name = ${queue} and data->>'run' = ${ref.name} and data->>'period' = ${ref.period}
          and coalesce(data->>'clinicId', '') = ${ref.clinicId ?? ""}`,
  );
  return Number(row?.n);
}

describe("rule A6: the schedule follows each clinic's own time zone", () => {
  it("rule A6: a clinic in Pacific/Auckland and one in America/Los_Angeles get their daily run on their own local date, from 03:00 local", async () => {
    const auckland = await clinicIn("Pacific/Auckland", "zone-auckland");
    const losAngeles = await clinicIn("America/Los_Angeles", "zone-los-angeles");

    // 10:00Z on Tuesday 1 December 2026: 23:00 on the 1st in Auckland (NZDT, +13), 02:00 on the 1st in Los Angeles (PST, -8).
    let due = await queueDueRuns(db, new Date("2026-12-01T10:00:00Z"), zone);
    expect(of(due, auckland)).toEqual(["daily 2026-12-01", "weekly 2026-W49"]);
    expect(of(due, losAngeles)).toEqual(["weekly 2026-W49"]);
    expect(of(due, null)).toEqual(["daily 2026-12-01", "monthly 2026-11", "reconcile 2026-12-01T10:00Z"]);

    // 11:05Z: 03:05 in Los Angeles, its day's run is due; 00:05 on the 2nd in Auckland, not yet.
    due = await queueDueRuns(db, new Date("2026-12-01T11:05:00Z"), zone);
    expect(of(due, losAngeles)).toEqual(["daily 2026-12-01"]);
    expect(of(due, auckland)).toEqual([]);
    expect(of(due, null)).toEqual(["reconcile 2026-12-01T11:05Z"]);

    // 14:00Z: 03:00 on the 2nd in Auckland; Los Angeles has had its run for the 1st.
    due = await queueDueRuns(db, new Date("2026-12-01T14:00:00Z"), zone);
    expect(of(due, auckland)).toEqual(["daily 2026-12-02"]);
    expect(of(due, losAngeles)).toEqual([]);

    // A repeat of the same minute queues nothing: each run was recorded and enqueued once.
    expect(await queueDueRuns(db, new Date("2026-12-01T14:00:30Z"), zone)).toEqual([]);
    for (const ref of [
      { name: "daily", clinicId: auckland, period: "2026-12-01" },
      { name: "daily", clinicId: auckland, period: "2026-12-02" },
      { name: "daily", clinicId: losAngeles, period: "2026-12-01" },
      { name: "weekly", clinicId: losAngeles, period: "2026-W49" },
    ] as const) {
      expect(await jobsFor(ref), `${ref.name} ${ref.period}`).toBe(1);
    }
  });

  it("rule A6: a tick that comes late (every instance down at 03:00) still runs the day's run that day", async () => {
    const losAngeles = (await db.select().from(clinics).where(eq(clinics.slug, "zone-los-angeles")))[0]?.id ?? "";
    // 23:30Z on the 2nd is 15:30 on the 2nd in Los Angeles: no tick ran there since the day before.
    const due = await queueDueRuns(db, new Date("2026-12-02T23:30:00Z"), zone);
    expect(of(due, losAngeles)).toEqual(["daily 2026-12-02"]);
    expect(of(due, null)).toEqual(["daily 2026-12-02", "reconcile 2026-12-02T23:30Z"]);
  });

  it("rule A6: the monthly payout run is for the month before, from the 1st at 03:00 in the platform's zone", async () => {
    // 07:59Z on 1 January 2027 is 02:59 in New York: not yet.
    expect(of(await queueDueRuns(db, new Date("2027-01-01T07:59:00Z"), zone), null)).toEqual(["reconcile 2027-01-01T07:55Z"]);
    expect(of(await queueDueRuns(db, new Date("2027-01-01T08:00:00Z"), zone), null)).toEqual(["daily 2027-01-01", "monthly 2026-12", "reconcile 2027-01-01T08:00Z"]);
  });

  itConcurrently("rule A6: two instances' ticks racing at the same instant record and enqueue each run once", async () => {
    const now = new Date("2027-02-10T12:00:00Z");
    const [a, b] = await Promise.all([queueDueRuns(db, now, zone), queueDueRuns(db, now, zone)]);
    const all = [...(a ?? []), ...(b ?? [])];
    expect(all.length).toBeGreaterThan(3);
    const keys = all.map((r) => `${r.name} ${r.clinicId} ${r.period}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const ref of all) expect(await jobsFor(ref), `${ref.name} ${ref.period}`).toBe(1);
  });
});

describe("rule A6: the dashboard and its rollups count the clinic's local days", () => {
  it("rule A6: the dashboard's today is the clinic's local day, and an event just after local midnight counts on it", async () => {
    // 25 hours apart: whatever the hour, the two clinics' todays differ, and at most one is the UTC day.
    const east = await clinicIn("Pacific/Kiritimati", "zone-kiritimati");
    const west = await clinicIn("Pacific/Pago_Pago", "zone-pago-pago");
    for (const [clinicId, timeZone] of [
      [east, "Pacific/Kiritimati"],
      [west, "Pacific/Pago_Pago"],
    ] as const) {
      // One click a minute after the clinic's local midnight today: hours away from the UTC midnight.
      await db.execute(sql`
        insert into ${activityEvents} (clinic_id, type, created_at)
        values (${clinicId}, 'click', ((now() at time zone ${timeZone})::date::timestamp + interval '1 minute') at time zone ${timeZone})`);
      const localToday = new Intl.DateTimeFormat("en-CA", { timeZone }).format(new Date());
      const stats = await dashboardStats(readerContext(db, clinicId), { period: "7d" });
      const again = new Intl.DateTimeFormat("en-CA", { timeZone }).format(new Date());
      expect([localToday, again]).toContain(stats.to);
      expect(stats.series.at(-1)).toMatchObject({ bucket: stats.to, clicks: 1 });
      expect(stats.totals.clicks).toBe(1);
    }
    const [eastStats, westStats] = [await dashboardStats(readerContext(db, east), { period: "7d" }), await dashboardStats(readerContext(db, west), { period: "7d" })];
    expect(eastStats.to).not.toBe(westStats.to);
  });

  it("rule A6: the rollup stores an Auckland click at 00:30 local on its local day, not the UTC day before", async () => {
    const auckland = await clinicIn("Pacific/Auckland", "zone-auckland-rollup");
    // 00:30 on 1 December in Auckland is 11:30 on 30 November in UTC.
    await db.insert(activityEvents).values({ clinicId: auckland, type: "click", createdAt: new Date("2026-11-30T11:30:00Z") });
    await rollUpStats({ db, clinicId: auckland });
    const stored = await db.select({ day: dailyReferralStats.day, clicks: dailyReferralStats.clicks }).from(dailyReferralStats).where(eq(dailyReferralStats.clinicId, auckland));
    expect(stored).toEqual([{ day: "2026-12-01", clicks: 1 }]);
  });
});

describe("rule A6: the clinic's time zone setting", () => {
  it("an admin sets it by its IANA name; it is audited, the stored days are counted again in the new zone", async () => {
    const demo = await clinicOf(db, DEMO_SLUG);
    const admin = (await userByEmail(db, "admin@demo.test")).id;
    const staff = (await userByEmail(db, "staff@demo.test")).id;
    expect(await callerAs(db, staff).clinic.timeZone()).toEqual({ timeZone: "America/New_York" });
    await db.insert(activityEvents).values({ clinicId: demo.id, type: "click", createdAt: new Date("2026-11-30T02:00:00Z") });
    await rollUpStats({ db, clinicId: demo.id });
    const dayOfClick = async () =>
      (await db.select({ day: dailyReferralStats.day }).from(dailyReferralStats).where(and(eq(dailyReferralStats.clinicId, demo.id), eq(dailyReferralStats.day, "2026-11-29"))).then((r) => r.length)) > 0;
    // 02:00Z on the 30th is the evening of the 29th in New York.
    expect(await dayOfClick()).toBe(true);

    expect(await callerAs(db, admin).clinic.setTimeZone({ timeZone: "europe/berlin" })).toEqual({ timeZone: "Europe/Berlin" });
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.clinicId, demo.id), eq(auditLog.action, "clinic.time_zone")));
    expect(entry).toMatchObject({ actorKind: "staff", actorId: admin, before: { timeZone: "America/New_York" }, after: { timeZone: "Europe/Berlin" } });
    await rollUpStats({ db, clinicId: demo.id });
    // In Berlin it was 03:00 on the 30th.
    expect(await dayOfClick()).toBe(false);
  });

  it("a name that is not a time zone gets a specific message and changes nothing; staff may not change it", async () => {
    const demo = await clinicOf(db, DEMO_SLUG);
    const admin = (await userByEmail(db, "admin@demo.test")).id;
    const staff = (await userByEmail(db, "staff@demo.test")).id;
    const before = await db.select().from(clinics).where(eq(clinics.id, demo.id));
    const bad = await callerAs(db, admin).clinic.setTimeZone({ timeZone: "Mars/Olympus_Mons" }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(TRPCError);
    expect((bad as TRPCError).code).toBe("BAD_REQUEST");
    expect((bad as TRPCError).message).toContain("is not a time zone we know");
    const refused = await callerAs(db, staff).clinic.setTimeZone({ timeZone: "Asia/Tokyo" }).catch((e: unknown) => e);
    expect((refused as TRPCError).code).toBe("FORBIDDEN");
    expect(await db.select().from(clinics).where(eq(clinics.id, demo.id))).toEqual(before);
  });
});

describe("rule A6: the runs are shown to their own clinic", () => {
  it("a clinic admin sees the clinic's runs only; the platform admin sees the platform's", async () => {
    const demo = await clinicOf(db, DEMO_SLUG);
    await queueDueRuns(db, new Date("2027-03-03T12:00:00Z"), zone);
    const admin = (await userByEmail(db, "admin@demo.test")).id;
    const platform = (await userByEmail(db, "platform@demo.test")).id;
    const mine = await callerAs(db, admin).runs.clinic();
    expect(mine.map((r) => `${r.name} ${r.period} ${r.status}`)).toContain("daily 2027-03-03 queued");
    const demoRuns = await db.select({ id: scheduledRuns.id }).from(scheduledRuns).where(eq(scheduledRuns.clinicId, demo.id));
    expect(mine.map((r) => r.id).sort()).toEqual(demoRuns.map((r) => r.id).sort());
    const platformRuns = await callerAs(db, platform).runs.platform();
    expect(platformRuns.map((r) => `${r.name} ${r.period}`)).toContain("monthly 2027-02");
    expect(platformRuns.some((r) => demoRuns.some((d) => d.id === r.id))).toBe(false);
  });
});
