import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readerContext } from "@/server/testing/fixtures";
import { and, count, eq, inArray, sql } from "drizzle-orm";
import { activityEvents, b2bPayoutRuns, b2bReferrals, clinics, creditLedger, referrals, users } from "@/db/schema";
import { createTestDb } from "@/server/testing/db";
import { dashboardStats } from "@/server/services/insights/dashboard";
import { reviewQueue } from "@/server/services/referrals/review";
import { firstRunChecklist } from "@/server/services/clinics/first-run";
import { staffActor } from "@/server/events/actor";
import { seedDemo } from "./seed";
import { DEMO } from "./accounts";

let handle: Awaited<ReturnType<typeof createTestDb>>;
const today = new Date();
let clinicId = "";

beforeAll(async () => {
  handle = await createTestDb({ seed: false });
  const started = Date.now();
  await seedDemo(handle.db, { story: true });
  console.log(`the story took ${Date.now() - started} ms`);
  const [clinic] = await handle.db.select({ id: clinics.id }).from(clinics).where(eq(clinics.slug, DEMO.clinic.slug));
  clinicId = clinic?.id ?? "";
}, 300_000);
afterAll(() => handle?.drop());

describe("issue 13: the demo clinic's 90 days", () => {
  it("has at least 500 clicks by channel and 10 qualified referrals, spread over the 90 days before today", async () => {
    const db = handle.db;
    const [clicks] = await db.select({ n: count(), first: sql<string>`min(${activityEvents.createdAt})::text`, channels: sql<number>`count(distinct ${activityEvents.channel})::int` }).from(activityEvents).where(and(eq(activityEvents.clinicId, clinicId), eq(activityEvents.type, "click")));
    expect(clicks?.n).toBeGreaterThanOrEqual(500);
    expect(clicks?.channels).toBeGreaterThanOrEqual(5);
    const first = new Date(clicks?.first ?? "");
    expect((today.getTime() - first.getTime()) / 86_400_000).toBeGreaterThan(85);
    const [qualified] = await db.select({ n: count() }).from(referrals).where(and(eq(referrals.clinicId, clinicId), eq(referrals.status, "qualified")));
    expect(qualified?.n).toBeGreaterThanOrEqual(10);
  });

  it("obeys the rules it was told under: each qualified referral has one reward per side, released when it qualified, days after the sign-up", async () => {
    const rows = await handle.db.execute(sql`
      select r.id, r.created_at, r.qualified_at,
             count(*) filter (where w.side = 'referrer') as referrer, count(*) filter (where w.side = 'referee') as referee,
             min(w.released_at) as released
      from ${referrals} r left join rewards w on w.referral_id = r.id
      where r.clinic_id = ${clinicId} and r.status = 'qualified'
      group by r.id`);
    const qualified = (Array.isArray(rows) ? rows : (rows as unknown as { rows: unknown[] }).rows) as { created_at: string; qualified_at: string; referrer: string | number; referee: string | number; released: string }[];
    expect(qualified.length).toBeGreaterThanOrEqual(10);
    for (const r of qualified) {
      expect([Number(r.referrer), Number(r.referee)]).toEqual([1, 1]);
      expect(new Date(r.qualified_at).getTime()).toBeGreaterThanOrEqual(new Date(r.created_at).getTime());
      expect(new Date(r.released).toISOString()).toBe(new Date(r.qualified_at).toISOString());
      expect(Date.now() - new Date(r.qualified_at).getTime()).toBeGreaterThan(0);
    }
  });

  it("leaves patient@demo.test and patient2@demo.test out of it: no referrals, rewards or ledger rows", async () => {
    const db = handle.db;
    const plain = await db.select({ id: users.id }).from(users).where(inArray(users.email, ["patient@demo.test", "patient2@demo.test"]));
    expect(plain).toHaveLength(2);
    const ids = plain.map((p) => p.id);
    const [asReferrer] = await db.select({ n: count() }).from(referrals).where(inArray(referrals.referrerId, ids));
    const [asReferee] = await db.select({ n: count() }).from(referrals).where(inArray(referrals.refereeId, ids));
    const [ledger] = await db.select({ n: count() }).from(creditLedger).where(inArray(creditLedger.patientId, ids));
    const [theirClicks] = await db.select({ n: count() }).from(activityEvents).where(and(inArray(activityEvents.patientId, ids), eq(activityEvents.type, "click")));
    expect([asReferrer?.n, asReferee?.n, ledger?.n, theirClicks?.n]).toEqual([0, 0, 0, 0]);
  });

  it("tells every part of the story: a referral in review, an expired reward, credit redeemed, partner referrals in several states, a paid payout", async () => {
    const db = handle.db;
    const [admin] = await db.select({ id: users.id }).from(users).where(eq(users.email, "admin@demo.test"));
    const queue = await reviewQueue({ db, actor: staffActor(admin?.id ?? "", clinicId), clinicId });
    expect(queue).toHaveLength(1);
    const kinds = await db.select({ kind: creditLedger.kind, n: count() }).from(creditLedger).where(eq(creditLedger.clinicId, clinicId)).groupBy(creditLedger.kind);
    const byKind = Object.fromEntries(kinds.map((k) => [k.kind, k.n]));
    expect(byKind.grant).toBeGreaterThanOrEqual(20);
    expect(byKind.redemption).toBeGreaterThan(0);
    expect(byKind.expiry).toBeGreaterThan(0);
    // Rule P9 and the ledger's own constraints: nobody's balance went below zero.
    const negative = await db.execute(sql`select patient_id from ${creditLedger} where clinic_id = ${clinicId} group by patient_id, unit having sum(amount_cents) < 0`);
    expect(Array.isArray(negative) ? negative : (negative as unknown as { rows: unknown[] }).rows).toHaveLength(0);
    const states = await db.selectDistinct({ status: b2bReferrals.status }).from(b2bReferrals);
    expect(states.map((s) => s.status).sort()).toEqual(["accepted", "rejected", "submitted", "under_review", "won"]);
    const runs = await db.select({ status: b2bPayoutRuns.status }).from(b2bPayoutRuns);
    expect(runs).toHaveLength(1);
  });

  it("fills in the clinic's profile, so the first-run checklist has nothing left to ask", async () => {
    const [admin] = await handle.db.select({ id: users.id }).from(users).where(eq(users.email, "admin@demo.test"));
    const steps = await firstRunChecklist({ db: handle.db, actor: staffActor(admin?.id ?? "", clinicId), clinicId });
    expect(steps.filter((s) => !s.done).map((s) => s.id)).toEqual([]);
  });

  it("gives a newcomer's dashboard charts and a leaderboard, and nothing dated after today", async () => {
    const stats = await dashboardStats(readerContext(handle.db, clinicId), { period: "90d" });
    expect(stats.hasActivity).toBe(true);
    expect(stats.totals.clicks).toBeGreaterThanOrEqual(500);
    expect(stats.totals.qualified).toBeGreaterThanOrEqual(10);
    expect(stats.series.filter((d) => d.clicks > 0).length).toBeGreaterThan(80);
    expect(stats.leaderboard.length).toBeGreaterThanOrEqual(5);
    expect(stats.channels.length).toBeGreaterThanOrEqual(5);
    const [late] = await handle.db.select({ n: count() }).from(activityEvents).where(sql`${activityEvents.createdAt} > now()`);
    expect(late?.n).toBe(0);
  });

  it("the demo clinic and its accounts joined before the story began", async () => {
    const [clinic] = await handle.db.select({ createdAt: clinics.createdAt }).from(clinics).where(eq(clinics.id, clinicId));
    const [patient] = await handle.db.select({ createdAt: users.createdAt }).from(users).where(eq(users.email, "patient@demo.test"));
    const [first] = await handle.db.select({ at: sql<string>`min(${activityEvents.createdAt})::text` }).from(activityEvents).where(and(eq(activityEvents.clinicId, clinicId), eq(activityEvents.type, "click")));
    expect(clinic?.createdAt.getTime()).toBeLessThan(new Date(first?.at ?? "").getTime());
    expect(clinic?.createdAt.getTime()).toBeLessThan(Date.now() - 90 * 86_400_000);
    expect(patient?.createdAt.getTime()).toBeLessThan(Date.now() - 90 * 86_400_000);
  });

  it("is told once: seeding again changes nothing", async () => {
    const [before] = await handle.db.select({ n: count() }).from(activityEvents);
    expect(await seedDemo(handle.db, { story: true })).toBe("skipped");
    const [after] = await handle.db.select({ n: count() }).from(activityEvents);
    expect(after?.n).toBe(before?.n);
  });
});
