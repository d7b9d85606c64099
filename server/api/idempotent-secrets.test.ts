import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { type Db, queryRows } from "@/db/client";
import { staffActor } from "@/server/events/actor";
import { createApiKey } from "@/server/services/integrations/api-keys";
import { practiceReferralInput } from "@/server/testing/b2b";
import { createTestDb } from "@/server/testing/db";
import { callerAs, clinicOf, DEMO_SLUG, userByEmail } from "@/server/testing/fixtures";
import { handleApiRequest } from "./handle";
import { ROUTES } from "./routes";

// The subscription's URL is a loopback address, allowed by name as the outside check sets it (rule A4).
vi.hoisted(() => {
  process.env.WEBHOOK_ALLOW_HOSTS = "127.0.0.1";
});

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
const keys = {} as Record<"clinic" | "platform", string>;

async function api(path: string, key: string, idempotencyKey: string, body: unknown) {
  const request = new Request(`http://app.test/api/v1${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}`, "idempotency-key": idempotencyKey },
    body: JSON.stringify(body),
  });
  const response = await handleApiRequest(request, { db });
  return { status: response.status, replayed: response.headers.get("idempotent-replayed"), body: (await response.json()) as Record<string, unknown> };
}

/** The whole stored row, every column, as the database holds it. */
async function storedRow(idempotencyKey: string): Promise<string> {
  const rows = await queryRows<{ row: string }>(db, sql`select to_jsonb(k)::text as row from api_idempotency_keys k where k.idempotency_key = ${idempotencyKey}`);
  expect(rows).toHaveLength(1);
  return rows[0]?.row ?? "";
}

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  const demo = (await clinicOf(db, DEMO_SLUG)).id;
  keys.clinic = (await createApiKey({ db, actor: staffActor((await userByEmail(db, "admin@demo.test")).id, demo), clinicId: demo }, { name: "Zapier", scope: "write" })).key;
  keys.platform = (await callerAs(db, (await userByEmail(db, "platform@demo.test")).id).integrations.createPlatformApiKey({ name: "Form tool", scope: "write" })).key;
});
afterAll(() => handle.drop());

describe("issue 19: the Idempotency-Key store keeps no secret in plain text (rule N2)", () => {
  it("POST /webhooks: the stored reply holds no whsec_ secret; a replay with the same key answers the same secret", async () => {
    const idempotencyKey = randomUUID();
    const body = { url: "http://127.0.0.1:9/zap", events: ["*"], description: "Zapier" };
    const first = await api("/webhooks", keys.clinic, idempotencyKey, body);
    expect(first.status).toBe(201);
    const secret = String(first.body.secret);
    expect(secret).toMatch(/^whsec_/);
    const row = await storedRow(idempotencyKey);
    expect(row).not.toContain(secret);
    expect(row).not.toContain(secret.slice("whsec_".length));
    expect(row).not.toContain("whsec_");

    const replay = await api("/webhooks", keys.clinic, idempotencyKey, body);
    expect(replay).toEqual({ status: 201, replayed: "true", body: first.body });
  });

  it("POST /partner/submissions: the stored reply holds no status token; a replay answers the same token and link", async () => {
    const idempotencyKey = randomUUID();
    const body = practiceReferralInput();
    const first = await api("/partner/submissions", keys.platform, idempotencyKey, body);
    expect(first.status).toBe(201);
    const token = String(first.body.statusToken);
    expect(token.length).toBeGreaterThan(20);
    const row = await storedRow(idempotencyKey);
    expect(row).not.toContain(token);
    expect(row).not.toContain(String(first.body.statusUrl));

    const replay = await api("/partner/submissions", keys.platform, idempotencyKey, body);
    expect(replay).toEqual({ status: 201, replayed: "true", body: first.body });
  });

  it("every route whose answer names a secret or a token declares it, so its stored reply is sealed", () => {
    // Every property name anywhere in the answer's JSON Schema, named definitions included.
    const names = (schema: unknown): string[] => {
      if (!schema || typeof schema !== "object") return [];
      return Object.entries(schema).flatMap(([k, v]) => [...(k === "properties" && v && typeof v === "object" ? Object.keys(v) : []), ...names(v)]);
    };
    const carrying = ROUTES.filter((r) => names(z.toJSONSchema(r.response, { io: "output", unrepresentable: "any" })).some((n) => /secret|token/i.test(n)));
    expect(carrying.map((r) => r.operationId).sort()).toEqual(["submitPartnerReferral", "subscribeWebhook"]);
    expect(carrying.filter((r) => !r.answerHoldsSecret).map((r) => r.operationId)).toEqual([]);
  });
});
