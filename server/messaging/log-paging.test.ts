import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { createTestDb } from "@/server/testing/db";
import { callerAs, clinicOf, DEMO_SLUG, key, userByEmail } from "@/server/testing/fixtures";
import { messageLog, queueMessage } from "./store";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
});
afterAll(() => handle.drop());

describe("rules A2, N1: the message log pages", () => {
  it("pages through messages written in one instant, each exactly once, newest first", async () => {
    const clinicId = (await clinicOf(db, DEMO_SLUG)).id;
    const run = key();
    // One transaction: every message has the same created_at, to the microsecond.
    await db.transaction(async (tx) => {
      for (let i = 0; i < 7; i++) await queueMessage(tx, { clinicId, kind: "account.password_changed", to: `page-${run}-${i}@example.com`, subject: "Your password was changed", body: "Hello" });
    });
    const seen: string[] = [];
    let before: string | null = null;
    for (let page = 0; page < 10; page++) {
      const rows: Awaited<ReturnType<typeof messageLog>> = await messageLog(db, { clinicId, limit: 3, before });
      if (!rows.length) break;
      seen.push(...rows.map((r) => r.id));
      before = rows[rows.length - 1]?.id ?? null;
    }
    const all = await messageLog(db, { clinicId, limit: 1000 });
    expect(seen).toEqual(all.map((r) => r.id));
    expect(new Set(seen).size).toBe(seen.length);
    expect(all.filter((r) => r.to.startsWith(`page-${run}-`))).toHaveLength(7);
  });

  it("another clinic's message as the cursor shows nothing of either clinic", async () => {
    const demo = (await clinicOf(db, DEMO_SLUG)).id;
    const [theirs] = await messageLog(db, { clinicId: demo, limit: 1 });
    const secondAdmin = await userByEmail(db, "admin@second.test");
    expect(await callerAs(db, secondAdmin.id).messages.log({ before: theirs?.id ?? null })).toEqual([]);
    await expect(callerAs(db, secondAdmin.id).messages.log({ before: "not-an-id" } as never)).rejects.toThrow(/not valid/);
  });
});
