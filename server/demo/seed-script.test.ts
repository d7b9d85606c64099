import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, inArray } from "drizzle-orm";
import { users } from "@/db/schema";
import { createTestDb, onPostgres } from "@/server/testing/db";
import { demoAccountsExist, demoBannerShown } from "./banner";
import { DEMO_EMAILS } from "./accounts";
import { seedDemo } from "./seed";

const run = promisify(execFile);
let handle: Awaited<ReturnType<typeof createTestDb>>;

beforeAll(async () => {
  handle = await createTestDb({ seed: false });
});
afterAll(() => handle.drop());

async function seedScript(args: string[]) {
  if (handle.kind !== "postgres") throw new Error("needs a real server");
  return run("npx", ["tsx", "scripts/seed.ts", ...args], { env: { ...process.env, DATABASE_URL: handle.url } }).then(
    ({ stdout }) => ({ code: 0, out: stdout }),
    (error: { code: number; stderr: string }) => ({ code: error.code, out: error.stderr }),
  );
}

describe("item 20: demo accounts never reach a real database by accident", () => {
  it.skipIf(!onPostgres)("`npm run db:seed` on a DATABASE_URL database refuses without --demo, and seeds with it", async () => {
    const refused = await seedScript([]);
    expect(refused.code).toBe(2);
    expect(refused.out).toContain("npm run db:seed -- --demo");
    expect(await handle.db.select().from(users)).toHaveLength(0);

    const seeded = await seedScript(["--demo"]);
    expect(seeded).toMatchObject({ code: 0 });
    expect(await demoAccountsExist(handle.db)).toBe(true);
  });

  it("the banner shows while demo accounts exist, remembered for a few seconds only", async () => {
    const db = handle.db;
    await seedDemo(db);
    const demo = await db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.email, [...DEMO_EMAILS]));
    expect(demo.length).toBe(DEMO_EMAILS.length);
    // An operator retires the demo accounts.
    for (const u of demo) await db.update(users).set({ email: `retired-${u.id}@example.com` }).where(eq(users.id, u.id));
    expect(await demoAccountsExist(db)).toBe(false);
    expect(await demoBannerShown(db, 1_000)).toBe(false);
    const [one] = demo;
    if (one) await db.update(users).set({ email: one.email }).where(eq(users.id, one.id));
    expect(await demoAccountsExist(db)).toBe(true);
    // Cosmetic and cached: still the old answer within the few seconds, the new one after.
    expect(await demoBannerShown(db, 5_000)).toBe(false);
    expect(await demoBannerShown(db, 11_000)).toBe(true);
  });
});
