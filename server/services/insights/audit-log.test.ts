import { TRPCError } from "@trpc/server";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { auditLog } from "@/db/schema";
import { createTestDb } from "@/server/testing/db";
import { callerAs, clinicOf, DEMO_SLUG, SECOND_SLUG, userByEmail } from "@/server/testing/fixtures";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let adminId: string;
let staffId: string;
/** What the seed itself audited for the demo clinic (its BAA acceptance): counted, not assumed. */
let seeded: { count: number; actions: string[] };
beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  const demo = await clinicOf(db, DEMO_SLUG);
  const second = await clinicOf(db, SECOND_SLUG);
  adminId = (await userByEmail(db, "admin@demo.test")).id;
  staffId = (await userByEmail(db, "staff@demo.test")).id;
  const otherAdmin = (await userByEmail(db, "admin@second.test")).id;
  const before = await db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.clinicId, demo.id));
  seeded = { count: before.length, actions: [...new Set(before.map((r) => r.action))] };
  // 120 entries in one statement share one created_at: the id must break the tie.
  await db.execute(sql`
    insert into ${auditLog} (clinic_id, actor_id, action, target_type, reason)
    select ${demo.id}, case when g % 2 = 0 then ${adminId}::uuid else ${staffId}::uuid end, case when g % 3 = 0 then 'credit.adjust' else 'patient.view' end, 'user', 'entry ' || g
      from generate_series(1, 120) g`);
  await db.insert(auditLog).values([
    { clinicId: demo.id, actorId: adminId, action: "program.update", targetType: "clinic", createdAt: new Date("2024-02-01T10:00:00Z"), before: { enabled: true }, after: { enabled: false } },
    { clinicId: second.id, actorId: otherAdmin, action: "patient.view", targetType: "user", reason: "second clinic" },
  ]);
});
afterAll(() => handle.drop());

async function allPages(filter?: Record<string, string>) {
  const admin = callerAs(db, adminId);
  const pages: number[] = [];
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await admin.audit.list({ filter, cursor });
    pages.push(page.rows.length);
    ids.push(...page.rows.map((r) => r.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return { pages, ids };
}

it("rule C4: the audit log pages newest first by keyset, every entry once, ties included", async () => {
  const { pages, ids } = await allPages();
  const total = 121 + seeded.count;
  expect(pages).toEqual([50, 50, total - 100]);
  expect(new Set(ids).size).toBe(total);
  const first = await callerAs(db, adminId).audit.list({});
  expect(first.rows.at(-1)?.action).not.toBe("program.update");
});

it("rule C4: filters by action, staff member and date range; the second clinic's entries never appear", async () => {
  expect((await allPages({ action: "credit.adjust" })).ids).toHaveLength(40);
  expect((await allPages({ actor: staffId })).ids).toHaveLength(60);
  expect((await allPages({ actor: staffId, action: "credit.adjust" })).ids).toHaveLength(20);
  const feb = await callerAs(db, adminId).audit.list({ filter: { from: "2024-02-01", to: "2024-02-01" } });
  expect(feb.rows.map((r) => [r.action, r.before, r.after])).toEqual([["program.update", { enabled: true }, { enabled: false }]]);
  const all = await callerAs(db, adminId).audit.list({ filter: { action: "patient.view" } });
  expect(JSON.stringify(all)).not.toContain("second clinic");
  const options = await callerAs(db, adminId).audit.filterOptions();
  expect(options.actions).toEqual([...new Set(["credit.adjust", "patient.view", "program.update", ...seeded.actions])].sort());
  expect(options.staff.map((s) => s.firstName).sort()).toEqual(["Morgan", "Sam"]);
});

it("a broken page link is refused with a clear message", async () => {
  const error = await callerAs(db, adminId).audit.list({ cursor: "bm90LWEtY3Vyc29y" }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).message).toBe("That page link is broken. Go back to the newest entries.");
});
