import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectPostgres, type Db, type DbHandle } from "@/db/client";
import { DEMO_PASSWORD } from "@/server/demo/accounts";
import { createTestDb, itConcurrently, onPostgres } from "@/server/testing/db";
import { key, signUpPatient } from "@/server/testing/fixtures";
import { checkCredentials } from "./accounts";
import { beginSignIn, delayAfter, FAILURE_WINDOW_MS, NETWORK_FAILURES } from "./sign-in-throttle";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
});
afterAll(() => handle.drop());

const PASSWORD = "a-good-password-9";
const wrong = (email: string, networkHash: string, on = db) => checkCredentials(on, { email, password: "wrong-password-1", networkHash });

describe("rule N6: failed sign-ins are delayed, never a lockout a stranger can cause", () => {
  it("delays the sixth wrong password within 15 minutes, even when it is the right one, from that network", async () => {
    const { email } = await signUpPatient(db);
    const network = key();
    for (let i = 0; i < 5; i++) expect(await wrong(email, network)).toEqual({ ok: false, reason: "invalid_credentials" });
    const sixth = await wrong(email, network);
    expect(sixth).toMatchObject({ ok: false, reason: "throttled" });
    expect(sixth.ok === false && sixth.reason === "throttled" && sixth.retryAfterSeconds).toBeGreaterThanOrEqual(29);
    expect(await checkCredentials(db, { email, password: PASSWORD, networkHash: network })).toMatchObject({ ok: false, reason: "throttled" });
  });

  it("lets the right password in from another network while the failing one waits", async () => {
    const { email } = await signUpPatient(db);
    const stranger = key();
    for (let i = 0; i < 12; i++) await wrong(email, stranger);
    expect(await wrong(email, stranger)).toMatchObject({ reason: "throttled" });
    expect(await checkCredentials(db, { email, password: PASSWORD, networkHash: key() })).toMatchObject({ ok: true });
  });

  it("throttles an email without an account exactly like one with (nothing tells them apart)", async () => {
    const { email } = await signUpPatient(db);
    const network = key();
    const nobody = `nobody-${key()}@example.com`;
    for (const address of [email, nobody]) {
      for (let i = 0; i < 5; i++) expect(await wrong(address, network)).toEqual({ ok: false, reason: "invalid_credentials" });
    }
    expect(await wrong(email, network)).toMatchObject({ reason: "throttled" });
    expect(await wrong(nobody, network)).toMatchObject({ reason: "throttled" });
  });

  it("grows the delay with each further failure, up to the window, and forgets failures past it", async () => {
    expect([4, 5, 6, 7, 12].map(delayAfter)).toEqual([0, 30_000, 60_000, 120_000, FAILURE_WINDOW_MS]);
    const email = `grow-${key()}@example.com`;
    const network = key();
    const start = new Date("2026-05-01T10:00:00Z");
    const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
    for (let i = 0; i < 5; i++) expect(await beginSignIn(db, { email, networkHash: network, now: at(i) })).toMatchObject({ ok: true });
    expect(await beginSignIn(db, { email, networkHash: network, now: at(10) })).toEqual({ ok: false, retryAfterSeconds: 24 });
    expect(await beginSignIn(db, { email, networkHash: network, now: at(34) })).toMatchObject({ ok: true });
    // Six failures now: the next try waits a minute after the last.
    expect(await beginSignIn(db, { email, networkHash: network, now: at(60) })).toEqual({ ok: false, retryAfterSeconds: 34 });
    expect(await beginSignIn(db, { email, networkHash: network, now: at(95) })).toMatchObject({ ok: true });
    // Past the window the slate is clean again.
    expect(await beginSignIn(db, { email, networkHash: network, now: at(95 + 15 * 60) })).toMatchObject({ ok: true });
  });

  it("stops a network after 30 failures in 15 minutes, whatever emails it tries, and no other network", async () => {
    const network = key();
    const start = new Date("2026-05-02T10:00:00Z");
    for (let i = 0; i < NETWORK_FAILURES; i++) {
      expect(await beginSignIn(db, { email: `spray-${i}-${key()}@example.com`, networkHash: network, now: new Date(start.getTime() + i * 1000) })).toMatchObject({ ok: true });
    }
    const later = new Date(start.getTime() + 60_000);
    expect(await beginSignIn(db, { email: `fresh-${key()}@example.com`, networkHash: network, now: later })).toEqual({ ok: false, retryAfterSeconds: 14 * 60 });
    expect(await beginSignIn(db, { email: `fresh-${key()}@example.com`, networkHash: key(), now: later })).toMatchObject({ ok: true });
  });

  it("forgives a network's failures for an email once its right password is given there", async () => {
    const { email } = await signUpPatient(db);
    const network = key();
    for (let i = 0; i < 4; i++) await wrong(email, network);
    expect(await checkCredentials(db, { email, password: PASSWORD, networkHash: network })).toMatchObject({ ok: true });
    for (let i = 0; i < 5; i++) expect(await wrong(email, network)).toMatchObject({ reason: "invalid_credentials" });
    expect(await wrong(email, network)).toMatchObject({ reason: "throttled" });
  });

  it("still signs demo accounts in through a fresh network", async () => {
    expect(await checkCredentials(db, { email: "patient@demo.test", password: DEMO_PASSWORD, networkHash: key() })).toMatchObject({ ok: true });
  });
});

describe("rule N6: the counters live in the database, shared by every instance", () => {
  let second: DbHandle | undefined;
  afterAll(() => second?.close());

  it.skipIf(!onPostgres)("counts failures made through two separate connection pools as one", async () => {
    if (handle.kind !== "postgres") throw new Error("needs a real server");
    second = await connectPostgres(handle.url, { max: 2 });
    const { email } = await signUpPatient(db);
    const network = key();
    for (let i = 0; i < 3; i++) await wrong(email, network, db);
    for (let i = 0; i < 2; i++) await wrong(email, network, second.db);
    expect(await wrong(email, network, db)).toMatchObject({ reason: "throttled" });
    expect(await wrong(email, network, second.db)).toMatchObject({ reason: "throttled" });
  });

  itConcurrently("counts a burst of parallel guesses from two instances, none slipping past the fifth", async () => {
    if (handle.kind !== "postgres") throw new Error("needs a real server");
    second ??= await connectPostgres(handle.url, { max: 2 });
    const { email } = await signUpPatient(db);
    const network = key();
    const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => wrong(email, network, i % 2 ? db : (second as DbHandle).db)));
    expect(burst.filter((r) => r.ok === false && r.reason === "invalid_credentials")).toHaveLength(5);
    expect(burst.filter((r) => r.ok === false && r.reason === "throttled")).toHaveLength(7);
  });
});
