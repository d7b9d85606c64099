import bcrypt from "bcryptjs";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { DEMO_PASSWORD } from "@/db/seed";
import { users } from "@/db/schema";
import { hashPassword, verifyPassword } from "@/server/auth/password";
import { createTestDb } from "@/server/testing/db";
import { key, signUpPatient, userByEmail } from "@/server/testing/fixtures";
import { checkCredentials } from "./accounts";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
});
afterAll(() => handle.drop());

/** Medians of two runs sampled in turn, so a load spike on a shared machine falls on both alike. */
async function medianMs(times: number, a: () => Promise<unknown>, b: () => Promise<unknown>) {
  const samples: [number[], number[]] = [[], []];
  for (let i = 0; i < times; i += 1) {
    for (const [k, run] of [a, b].entries()) {
      const started = performance.now();
      await run();
      samples[k]?.push(performance.now() - started);
    }
  }
  return samples.map((s) => s.sort((x, y) => x - y)[Math.floor(times / 2)] ?? 0) as [number, number];
}

// Each check from a network of its own: the throttle (sign-in-throttle.test.ts) is not what these test.
describe("rule N6: sign-in does not tell which emails have accounts (issue 7 item 10)", () => {
  it("answers an unknown email exactly as a wrong password", async () => {
    const unknown = await checkCredentials(db, { networkHash: key(), email: "nobody-here@example.com", password: "whatever-1234" });
    const wrong = await checkCredentials(db, { networkHash: key(), email: "patient@demo.test", password: "not-the-password-1" });
    expect(unknown).toEqual({ ok: false, reason: "invalid_credentials" });
    expect(wrong).toEqual(unknown);
  });

  it("spends the same hashing work on an unknown email as on a wrong password", async () => {
    const { email } = await signUpPatient(db);
    // Warm both paths (the dummy hash is made on first use, the database connection pool fills).
    await checkCredentials(db, { networkHash: key(), email: "warm-up@example.com", password: "x-1234567890" });
    await checkCredentials(db, { networkHash: key(), email, password: "x-1234567890" });
    const [unknown, wrong] = await medianMs(
      9,
      () => checkCredentials(db, { networkHash: key(), email: `absent-${Math.random()}@example.com`, password: "x-1234567890" }),
      () => checkCredentials(db, { networkHash: key(), email, password: "x-1234567890" }),
    );
    // Skipping the hash made an unknown email ~20x faster; the same argon2 check keeps them alike.
    expect(unknown / wrong).toBeGreaterThan(0.6);
    expect(unknown / wrong).toBeLessThan(1.6);
  });

  it("still signs in with the right password, and a disabled account is told after the password matched", async () => {
    expect(await checkCredentials(db, { networkHash: key(), email: "PATIENT@demo.test ", password: DEMO_PASSWORD })).toMatchObject({ ok: true });
    const { email, userId } = await signUpPatient(db);
    await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, userId));
    expect(await checkCredentials(db, { networkHash: key(), email, password: "wrong-password-1" })).toEqual({ ok: false, reason: "invalid_credentials" });
    expect(await checkCredentials(db, { networkHash: key(), email, password: "a-good-password-9" })).toEqual({ ok: false, reason: "disabled" });
  });
});

describe("argon2id, and legacy bcrypt hashes rehashed at sign-in (issue 7 item 18)", () => {
  it("hashes new passwords with argon2id", async () => {
    const { email } = await signUpPatient(db);
    const user = await userByEmail(db, email);
    expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it("signs a bcrypt account in, then replaces its hash with argon2id that still works", async () => {
    const { email, userId } = await signUpPatient(db);
    const legacy = await bcrypt.hash("legacy-password-7", 4);
    await db.update(users).set({ passwordHash: legacy }).where(eq(users.id, userId));

    expect(await checkCredentials(db, { networkHash: key(), email, password: "wrong-password-7" })).toEqual({ ok: false, reason: "invalid_credentials" });
    expect((await userByEmail(db, email)).passwordHash).toBe(legacy);

    expect(await checkCredentials(db, { networkHash: key(), email, password: "legacy-password-7" })).toMatchObject({ ok: true });
    const rehashed = (await userByEmail(db, email)).passwordHash ?? "";
    expect(rehashed).toMatch(/^\$argon2id\$/);
    expect(await checkCredentials(db, { networkHash: key(), email, password: "legacy-password-7" })).toMatchObject({ ok: true });
    expect((await userByEmail(db, email)).passwordHash).toBe(rehashed);
  });

  it("asks for a rehash of argon2 hashes made with weaker settings, and of none made with the current ones", async () => {
    const { hash } = await import("@node-rs/argon2");
    const weak = await hash("some-password-1", { memoryCost: 8192, timeCost: 1, parallelism: 1 });
    expect(await verifyPassword("some-password-1", weak)).toEqual({ ok: true, needsRehash: true });
    expect(await verifyPassword("some-password-1", await hashPassword("some-password-1"))).toEqual({ ok: true, needsRehash: false });
    expect(await verifyPassword("other-password-1", weak)).toEqual({ ok: false, needsRehash: false });
    expect(await verifyPassword("x", "not a hash at all")).toEqual({ ok: false, needsRehash: false });
  });
});
