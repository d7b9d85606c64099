import { and, desc, eq, inArray, or, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { activityEvents, referralCodes, referrals } from "@/db/schema";
import { activityInput, type ActivityInput } from "@/server/schemas/activity";
import { createTestDb } from "@/server/testing/db";
import { clinicOf, codeOf, DEMO_SLUG, firstService, key, SECOND_SLUG, signUpPatient, userByEmail, paymentEvent, readerContext } from "@/server/testing/fixtures";
import { activityPage } from "./activity";
import { recordPaidOrder } from "@/server/services/orders/orders";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
const ids = { demo: "", second: "", alex: "", jordan: "", quinn: "", casey: "" };
const base = Date.parse("2030-01-01T00:00:00Z") - 400 * 86_400_000;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  ids.demo = (await clinicOf(db, DEMO_SLUG)).id;
  ids.second = (await clinicOf(db, SECOND_SLUG)).id;
  ids.alex = (await userByEmail(db, "patient@demo.test")).id;
  ids.jordan = (await userByEmail(db, "patient2@demo.test")).id;
  ids.casey = (await userByEmail(db, "patient@second.test")).id;
  const quinn = await signUpPatient(db, { code: await codeOf(db, ids.alex), firstName: "Quinn" });
  ids.quinn = quinn.userId;
  const service = await firstService(db, ids.demo);
  await recordPaidOrder({ db, actor: paymentEvent(ids.demo), clinicId: ids.demo }, { patientId: quinn.userId, items: [{ serviceId: service.id, quantity: 1 }], idempotencyKey: key() });

  // Clicks on fixed past instants, many sharing one timestamp, so ties cross page boundaries.
  const [alexCode] = await db.select().from(referralCodes).where(eq(referralCodes.patientId, ids.alex));
  const channels = ["sms", "email", null, "qr"] as const;
  const clicks = Array.from({ length: 45 }, (_, i) => ({
    clinicId: ids.demo,
    type: "click" as const,
    patientId: i % 3 === 0 ? ids.jordan : ids.alex,
    codeId: alexCode?.id,
    channel: channels[i % 4],
    createdAt: new Date(base + Math.floor(i / 9) * 86_400_000),
  }));
  await db.insert(activityEvents).values(clicks);
  await db.insert(activityEvents).values([
    { clinicId: ids.second, type: "click", patientId: ids.casey, channel: "sms", createdAt: new Date(base) },
    { clinicId: ids.second, type: "reward", patientId: ids.casey, amountCents: 5000, createdAt: new Date(base) },
  ]);
});
afterAll(() => handle.drop());

const list = (input: ActivityInput, clinicId = ids.demo, options?: { listedPatients: number }) =>
  activityPage(readerContext(db, clinicId), activityInput.parse(input), options);

/** Walks every page older; then each page's "newer" cursor must give back the page before it. */
async function walk(input: ActivityInput, clinicId = ids.demo, options?: { listedPatients: number }) {
  const older: string[] = [];
  const pages: { ids: string[]; newerCursor: string | null }[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = await list({ ...input, cursor, direction: "older" }, clinicId, options);
    older.push(...page.rows.map((r) => r.id));
    pages.push({ ids: page.rows.map((r) => r.id), newerCursor: page.newerCursor });
    if (!page.olderCursor) break;
    cursor = page.olderCursor;
  }
  return { older, pages };
}

async function expected(where: ReturnType<typeof and>) {
  const rows = await db
    .select({ id: activityEvents.id })
    .from(activityEvents)
    .where(where)
    .orderBy(desc(activityEvents.createdAt), desc(activityEvents.id));
  return rows.map((r) => r.id);
}

describe("rule C2: the activity log", () => {
  it("pages through every event once, in order, across equal timestamps, both ways", async () => {
    const all = await expected(eq(activityEvents.clinicId, ids.demo));
    expect(all.length).toBeGreaterThan(45);
    const { older, pages } = await walk({ limit: 7 });
    expect(older).toEqual(all);
    expect(new Set(older).size).toBe(older.length);
    expect(pages[0]?.newerCursor).toBeNull();
    for (let i = 1; i < pages.length; i++) {
      const back = await list({ limit: 7, cursor: pages[i]?.newerCursor ?? undefined, direction: "newer" });
      expect(back.rows.map((r) => r.id)).toEqual(pages[i - 1]?.ids);
      expect(back.newerCursor === null).toBe(i === 1);
    }
  });

  it("filters by several types at once, exactly", async () => {
    const want = await expected(and(eq(activityEvents.clinicId, ids.demo), inArray(activityEvents.type, ["reward", "sign_up"])));
    expect(want.length).toBe(3);
    expect((await walk({ types: ["reward", "sign_up"], limit: 2 })).older).toEqual(want);
  });

  it("filters by channel, with links opened without a channel as direct", async () => {
    const sms = await expected(and(eq(activityEvents.clinicId, ids.demo), eq(activityEvents.channel, "sms")));
    expect((await walk({ channel: "sms", limit: 4 })).older).toEqual(sms);
    const direct = await expected(and(eq(activityEvents.clinicId, ids.demo), eq(activityEvents.type, "click"), sql`${activityEvents.channel} is null`));
    expect((await walk({ channel: "direct", limit: 4 })).older).toEqual(direct);
    expect((await list({ channel: "sms", types: ["reward"] })).rows).toEqual([]);
  });

  it("filters by date range, both ends included", async () => {
    const day = (n: number) => new Date(base + n * 86_400_000).toISOString().slice(0, 10);
    const { older } = await walk({ from: day(1), to: day(2), limit: 5 });
    expect(older).toHaveLength(18);
    expect(activityInput.safeParse({ from: day(2), to: day(1) }).success).toBe(false);
  });

  it("shows a patient's own events, and for a referee the sign-up and qualification that brought them", async () => {
    const [referral] = await db.select().from(referrals).where(eq(referrals.refereeId, ids.quinn));
    const want = await expected(
      and(
        eq(activityEvents.clinicId, ids.demo),
        or(eq(activityEvents.patientId, ids.quinn), and(eq(activityEvents.referralId, referral?.id ?? ""), inArray(activityEvents.type, ["sign_up", "qualification"]))),
      ),
    );
    const page = await list({ patientId: ids.quinn });
    expect(page.rows.map((r) => r.id)).toEqual(want);
    expect(page.rows.map((r) => r.type).sort()).toEqual(["qualification", "reward", "sign_up"]);
  });

  it("searches by patient name or email, listing ids or walking the log for a broad search alike", async () => {
    const jordan = await expected(and(eq(activityEvents.clinicId, ids.demo), eq(activityEvents.patientId, ids.jordan)));
    expect((await walk({ search: "jordan", limit: 6 })).older).toEqual(jordan);
    expect((await walk({ search: "PATIENT2@demo", limit: 6 })).older).toEqual(jordan);
    expect((await walk({ search: "jordan", limit: 6 }, ids.demo, { listedPatients: 0 })).older).toEqual(jordan);
    const quinn = (await walk({ search: "quinn" })).older;
    expect(quinn).toEqual((await walk({ search: "quinn" }, ids.demo, { listedPatients: 0 })).older);
    expect(quinn).toHaveLength(3);
    expect((await list({ search: "nobody-like-this" })).rows).toEqual([]);
    expect((await list({ search: "%" })).rows).toEqual([]);
  });

  it("rule N1: never returns another clinic's events, whatever the filter", async () => {
    const demoIds = new Set(await expected(eq(activityEvents.clinicId, ids.demo)));
    for (const input of [{}, { search: "alex" }, { patientId: ids.alex }, { channel: "sms" as const }, { types: ["reward" as const] }]) {
      const { older } = await walk(input, ids.second);
      expect(older.some((id) => demoIds.has(id)), JSON.stringify(input)).toBe(false);
    }
    expect((await walk({}, ids.second)).older).toHaveLength(2);
    expect((await list({ search: "casey" })).rows).toEqual([]);
  });

  it("says what happened in plain words, with short names", async () => {
    const page = await list({ limit: 100 });
    const summaries = page.rows.map((r) => r.summary);
    expect(summaries).toContain("Click from SMS on Alex P.'s link");
    expect(summaries).toContain("Click on Jordan K.'s link");
    expect(summaries).toContain("Quinn F. signed up with Alex P.'s code");
    expect(summaries).toContain("Reward $50 to Alex P.");
    expect(summaries).toContain("Reward $30 to Quinn F.");
    expect(summaries).toContain("The referral of Quinn F. by Alex P. qualified: both rewards are due");
    expect(JSON.stringify(page)).not.toContain("patient@demo.test");
  });
});
