import bcrypt from "bcryptjs";
import { eq } from "drizzle-orm";
import { verify as argon2Verify } from "@node-rs/argon2";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { DEMO_PASSWORD } from "@/server/demo/accounts";
import { users } from "@/db/schema";
import { hashPassword, verifyPassword } from "./password";
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

// The real argon2, counted: what must match is the slow work each answer costs, not a stopwatch.
vi.mock("@node-rs/argon2", async (importOriginal) => {
  const real = await importOriginal<typeof import("@node-rs/argon2")>();
  return { ...real, verify: vi.fn(real.verify) };
});

/** The argon2 parameters of every hash verified while `run` ran. */
async function verifiedHashParams(run: () => Promise<unknown>): Promise<string[]> {
  vi.mocked(argon2Verify).mockClear();
  await run();
  return vi.mocked(argon2Verify).mock.calls.map(([stored]) => (typeof stored === "string" ? stored.split("$").slice(0, 4).join("$") : "?"));
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
    const unknown = await verifiedHashParams(() => checkCredentials(db, { networkHash: key(), email: `absent-${key()}@example.com`, password: "x-1234567890" }));
    const wrong = await verifiedHashParams(() => checkCredentials(db, { networkHash: key(), email, password: "x-1234567890" }));
    // One argon2id verification each, at the same cost parameters: skipping it would answer ~20x faster.
    expect(wrong).toEqual(["$argon2id$v=19$m=19456,t=2,p=1"]);
    expect(unknown).toEqual(wrong);
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
