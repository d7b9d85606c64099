import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { createTestDb } from "@/server/testing/db";
import { DEMO_SLUG, key, userByEmail } from "@/server/testing/fixtures";
import { TestPaymentProvider } from "@/server/services/orders/payment-provider";
import { openSession } from "@/server/auth/sessions";
import type { Context } from "@/server/trpc";
import { NETWORK_LIMITS } from "@/server/kernel/rate-limit";
import { practiceReferralInput } from "@/server/testing/b2b";
import { MAX_BODY_BYTES } from "./limits";
import { handleTrpc } from "./trpc";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let staffId: string;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  staffId = (await userByEmail(db, "staff@demo.test")).id;
});
afterAll(() => handle.drop());
afterEach(() => vi.restoreAllMocks());

const context = (userId: string | null, ipHash: string | null = null) => async (): Promise<Context> => ({
  db,
  payments: new TestPaymentProvider(db),
  session: async () => (userId ? { userId, sessionId: await openSession(db, { userId, device: "Test browser" }) } : null),
  sessionUserId: async () => userId,
  cookie: () => null,
  fingerprint: { ipHash, deviceHash: null },
});

const BASE = "http://localhost/api/trpc";
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  new Request(`${BASE}/${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
const batchOf = (n: number, input: unknown) => Object.fromEntries(Array.from({ length: n }, (_, i) => [String(i), { json: input }]));

const signUp = (overrides: Record<string, unknown> = {}) => ({
  clinicSlug: DEMO_SLUG,
  firstName: "Sasha",
  lastName: "Ivanova",
  email: `sasha-${key()}@example.com`,
  phone: "",
  password: "a-good-password-9",
  referralCode: "",
  ...overrides,
});

describe("integrators: plain JSON input", () => {
  it("reads a procedure's input sent as plain JSON as well as superjson's envelope, and answers in the envelope", async () => {
    const csv = "first_name,last_name,email,phone,external_id\nIda,Plain,ida@example.com,,\n";
    const admin = (await userByEmail(db, "admin@demo.test")).id;
    for (const body of [{ csv }, { json: { csv } }]) {
      const response = await handleTrpc(post("patients.previewCsv", body), context(admin));
      expect(response.status).toBe(200);
      const { result } = (await response.json()) as { result: { data: { json: { totalRows: number; validRows: number } } } };
      expect(result.data.json).toMatchObject({ totalRows: 1, validRows: 1 });
    }
    // Plain JSON goes through the same input schema: a wrong field is refused with its reason.
    const refused = await handleTrpc(post("patients.previewCsv", { csv: 42 }), context(admin));
    expect(refused.status).toBe(400);
  });
});

describe("item 12: queries travel in request bodies", () => {
  it("answers a batched query sent by POST, its search term in the body, not the URL", async () => {
    const request = post("clinic.patients?batch=1", batchOf(1, { search: "Patel" }));
    expect(new URL(request.url).search).not.toContain("Patel");
    const response = await handleTrpc(request, context(staffId));
    expect(response.status).toBe(200);
    const [first] = (await response.json()) as [{ result: { data: { json: unknown } } }];
    expect(JSON.stringify(first.result.data.json)).toContain("patient@demo.test");
  });

  it("still answers a GET of a query without personal data (public contract)", async () => {
    const response = await handleTrpc(new Request(`${BASE}/partner.prefill`), context(null));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ result: { data: { json: null } } });
  });
});

describe("item 18: batch and body limits", () => {
  it("runs a batch of 10 sign-ups and refuses a batch of 11 before running any", async () => {
    const count = async () => (await db.select({ id: users.id }).from(users)).length;
    const ten = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [String(i), { json: signUp() }]));
    const okPaths = Array.from({ length: 10 }, () => "account.signUp").join(",");
    const before = await count();
    expect((await handleTrpc(post(`${okPaths}?batch=1`, ten), context(null))).status).toBe(200);
    expect(await count()).toBe(before + 10);

    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [String(i), { json: signUp() }]));
    const response = await handleTrpc(post(`${[...Array(11)].map(() => "account.signUp").join(",")}?batch=1`, eleven), context(null));
    expect(response.status).toBe(400);
    expect(await count()).toBe(before + 10);
  });

  it("refuses a body over 256 KB with 413, declared or streamed, before parsing it", async () => {
    const huge = signUp({ firstName: "x".repeat(MAX_BODY_BYTES) });
    const declared = await handleTrpc(post("account.signUp", { json: huge }), context(null));
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });

    const bytes = new TextEncoder().encode(JSON.stringify({ json: huge }));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 16_384) controller.enqueue(bytes.slice(i, i + 16_384));
        controller.close();
      },
    });
    const streamed = new Request(`${BASE}/account.signUp`, { method: "POST", headers: { "content-type": "application/json" }, body: stream, duplex: "half" } as RequestInit);
    expect(streamed.headers.get("content-length")).toBeNull();
    expect((await handleTrpc(streamed, context(null))).status).toBe(413);
  });

  it("a pasted CSV of about 1 MB reaches the import procedure; batched with another call, the small limit holds", async () => {
    const csv = `first_name,last_name,email,phone,external_id\n${"A,B,a@b.example,,\n".repeat(60_000)}`;
    const alone = await handleTrpc(post("patients.previewCsv", { json: { csv } }), context(null));
    // Anonymous: refused by the procedure (401), not by the size of the body.
    expect(alone.status).toBe(401);
    const batched = await handleTrpc(post("patients.previewCsv,account.signUp?batch=1", { 0: { json: { csv } } }), context(null));
    expect(batched.status).toBe(413);
  });

  it("lets a body just under the limit through to validation", async () => {
    const response = await handleTrpc(post("account.signUp", { json: signUp({ firstName: "x".repeat(200_000) }) }), context(null));
    expect(response.status).toBe(400);
  });
});

describe("item 11: control characters and logs", () => {
  it("refuses a NUL in a sign-up name with a field message (400), and logs nothing", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await handleTrpc(post("account.signUp", { json: signUp({ firstName: "Ro\u0000bin" }) }), context(null));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { json: { data: { zodError: { fieldErrors: Record<string, string[]> } } } } };
    expect(body.error.json.data.zodError.fieldErrors.firstName?.[0]).toMatch(/control characters/);
    expect(logged).not.toHaveBeenCalled();
  });

  it("logs a failed query by its kind and SQLSTATE, never the SQL or its parameters", async () => {
    const { logError } = await import("@/server/log");
    const error = await db
      .select()
      .from(users)
      .where(eq(users.email, "secret-person\u0000@example.com"))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).toContain("secret-person");
    const lines: string[] = [];
    vi.spyOn(console, "error").mockImplementation((line: unknown) => void lines.push(String(line)));
    logError("test", error);
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? "{}");
    expect(entry).toMatchObject({ level: "error", scope: "test", error: { name: "DrizzleQueryError" } });
    expect(lines[0]).not.toContain("secret-person");
    expect(lines[0]).not.toMatch(/select|params/i);
    expect(JSON.stringify(entry.error)).toMatch(/"code":"22021"/);
  });
});

describe("item 11: errors Next.js logs itself are redacted too", () => {
  it("prints a thrown database error by its kind, keeping a configuration problem's words", async () => {
    const { redactConsoleErrors } = await import("@/server/log");
    const { ConfigurationError } = await import("@/server/env");
    const lines: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
    try {
      redactConsoleErrors();
      const error = await db.select().from(users).where(eq(users.email, "hidden\u0000@example.com")).catch((e: unknown) => e);
      console.error(" ⨯", error);
      console.error(new ConfigurationError("AUTH_SECRET is not set."));
    } finally {
      console.error = original;
    }
    expect(lines[0]).toContain("DrizzleQueryError");
    expect(lines[0]).not.toContain("hidden");
    expect(lines[1]).toContain("AUTH_SECRET is not set.");
  });
});

describe("rule N6: public actions are limited per network, with 429 and Retry-After", () => {
  const mutation = (path: string, input: unknown) => post(path, { json: input });

  it("answers the 21st sign-up in an hour from one network with 429, a readable message and Retry-After; other networks go on", async () => {
    const network = key();
    for (let i = 0; i < NETWORK_LIMITS.signUp.limit; i++) {
      expect((await handleTrpc(mutation("account.signUp", signUp()), context(null, network))).status).toBe(200);
    }
    const refused = await handleTrpc(mutation("account.signUp", signUp()), context(null, network));
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers.get("retry-after"));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(3600);
    const body = (await refused.json()) as { error: { json: { message: string } } };
    expect(body.error.json.message).toMatch(/several requests from you in a short time\. Please wait (a minute|about \d+ (minutes|hour))/);
    expect((await handleTrpc(mutation("account.signUp", signUp()), context(null, key()))).status).toBe(200);
  });

  it("limits invitation acceptance, the partner form and its link re-send per network too", async () => {
    const network = key();
    for (const [path, action, input] of [
      ["team.acceptInvitation", "acceptInvitation", () => ({ token: "x".repeat(43), firstName: "Al", lastName: "Bo", password: "a-good-password-9" })],
      // A new address each time, so only the network's limit is met (an address has its own, lower one).
      ["partner.resendLink", "partnerResend", () => ({ email: `nobody-${key()}@example.com` })],
      ["partner.submit", "partnerSubmit", practiceReferralInput],
    ] as const) {
      const answers: number[] = [];
      for (let i = 0; i <= NETWORK_LIMITS[action].limit; i++) {
        answers.push((await handleTrpc(mutation(path, input()), context(null, network))).status);
      }
      expect(answers.slice(0, -1).every((s) => s !== 429), path).toBe(true);
      expect(answers.at(-1), path).toBe(429);
    }
  });
});
