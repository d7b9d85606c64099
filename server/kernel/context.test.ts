import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type Db } from "@/db/client";
import { systemActor } from "@/server/events/actor";
import { createTestDb } from "@/server/testing/db";
import { inTransaction, withTransaction } from "./context";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;

beforeAll(async () => {
  handle = await createTestDb({ seed: false });
  db = handle.db;
  await db.execute(sql`create table context_probe (n int not null)`);
});
afterAll(() => handle.drop());

const ctx = () => ({ db, actor: systemActor("test"), clinicId: "none" });

describe("withTransaction: a service joins its caller's transaction instead of nesting one", () => {
  it("opens a transaction when the caller has none", async () => {
    expect(inTransaction(db)).toBe(false);
    await withTransaction(ctx(), async (tx) => expect(inTransaction(tx.db)).toBe(true));
  });

  it("runs on the caller's very transaction, so a later failure of the caller undoes the service's writes", async () => {
    await expect(
      db.transaction(async (outer) => {
        await withTransaction({ ...ctx(), db: outer as unknown as Db }, async (tx) => {
          expect(tx.db).toBe(outer);
          await tx.db.execute(sql`insert into context_probe values (1)`);
        });
        throw new Error("the caller failed afterwards");
      }),
    ).rejects.toThrow("the caller failed afterwards");
    expect(await queryRows(db, sql`select n from context_probe`)).toEqual([]);
  });
});
