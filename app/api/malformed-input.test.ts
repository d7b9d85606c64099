import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db, DbHandle } from "@/db/client";
import { ROUTES } from "@/server/api/routes";
import type { Route } from "@/server/api/route";
import { staffActor } from "@/server/events/actor";
import { createApiKey } from "@/server/services/integrations/api-keys";
import { createTestDb } from "@/server/testing/db";
import { clinicOf, DEMO_SLUG, userByEmail } from "@/server/testing/fixtures";
import { sessionCookie } from "@/server/testing/session-cookie";
import * as auth from "./auth/[...nextauth]/route";
import * as logoUpload from "./clinic/logo/route";
import * as docs from "./docs/route";
import * as docsAsset from "./docs/[asset]/route";
import * as exportRoute from "./export/[kind]/route";
import * as health from "./health/route";
import * as logos from "./logos/[id]/route";
import * as patientArchive from "./patients/[id]/export/route";
import * as importUpload from "./patients/import/route";
import * as ping from "./ping/route";
import * as portalArchive from "./portal/export/route";
import * as trpc from "./trpc/[trpc]/route";
import * as unsubscribe from "./unsubscribe/[token]/route";
import * as openapi from "./v1/openapi.json/route";
import * as rest from "./v1/[...path]/route";
import * as inbound from "./webhooks/[provider]/[endpointId]/route";
import * as twilioRoute from "./webhooks/twilio/route";

vi.hoisted(() => {
  process.env.TWILIO_AUTH_TOKEN = "twilio-malformed-test-token";
  process.env.IN_PROCESS_WORKERS = "false";
});

/**
 * Issue 19 item 10: malformed input answers 4xx with a clear message, never 500, on every REST
 * route of the route table and every app/api handler: bad percent-encoding, ids that are no
 * uuid, broken cursors, NUL bytes, 5 MB bodies and bad JSON.
 */
let handle: DbHandle & { drop: () => Promise<void> };
let db: Db;
let demo: string;
let adminId: string;
let platformId: string;
let ownerCookie: string;
let patientCookie: string;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  (globalThis as unknown as { appDb?: Promise<DbHandle> }).appDb = Promise.resolve(handle);
  demo = (await clinicOf(db, DEMO_SLUG)).id;
  adminId = (await userByEmail(db, "admin@demo.test")).id;
  platformId = (await userByEmail(db, "platform@demo.test")).id;
  ownerCookie = await sessionCookie(db, adminId);
  patientCookie = await sessionCookie(db, (await userByEmail(db, "patient@demo.test")).id);
});
afterAll(() => handle.drop());

const FIVE_MB = 5 * 1024 * 1024;
const DASHES = "-".repeat(36);
const b64 = (text: string) => Buffer.from(text).toString("base64url");
const params = <T extends Record<string, string>>(value: T) => ({ params: Promise.resolve(value) });

/** Every string in the value with a NUL in it. */
function withNul(value: unknown): unknown {
  if (typeof value === "string") return `${value}\u0000x`;
  if (Array.isArray(value)) return value.map(withNul);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withNul(v)]));
  return value;
}

type Case = { name: string; path: string; query?: string; body?: string };

/** The malformed requests a route can be sent, from what it takes. */
function casesFor(route: Route): Case[] {
  const fill = (segment: string) => route.path.replace(/\{[^}]+\}/g, segment);
  const valid = fill(randomUUID());
  const cases: Case[] = [];
  if (route.path.includes("{")) {
    for (const [name, segment] of [["bad percent-encoding", "%E0%A4%A"], ["36 dashes", DASHES], ["a NUL byte", "%00"], ["a NUL inside", "abc%00def"], ["a lone percent", "%"]]) {
      cases.push({ name: `path: ${name}`, path: fill(segment ?? "") });
    }
  }
  if (route.query) {
    for (const key of Object.keys(route.query.shape)) cases.push({ name: `query ${key}: a NUL byte`, path: valid, query: `${key}=%00` });
    if ("cursor" in route.query.shape) {
      cases.push({ name: "cursor: 36 dashes for its id", path: valid, query: `cursor=${b64(`2024-01-01T00:00:00.000000Z|${DASHES}`)}` });
      cases.push({ name: "cursor: a 13th month", path: valid, query: `cursor=${b64(`2024-13-45T00:00:00.000000Z|${randomUUID()}`)}` });
      cases.push({ name: "cursor: not base64", path: valid, query: "cursor=%E0%A4%A" });
    }
  }
  if (route.body) {
    cases.push({ name: "body: bad JSON", path: valid, body: '{"firstName": ' });
    cases.push({ name: "body: 5 MB", path: valid, body: JSON.stringify({ padding: "a".repeat(FIVE_MB) }) });
    cases.push({ name: "body: NUL in every string", path: valid, body: JSON.stringify(withNul(route.bodyExample ?? { value: "x" })) });
    cases.push({ name: "body: a raw NUL", path: valid, body: `{"a":1}\u0000` });
  }
  return cases;
}

const restCases = ROUTES.flatMap((route) => casesFor(route).map((c) => ({ label: `${route.method} ${route.path} — ${c.name}`, route, c })));

describe("issue 19 item 10: every REST route answers malformed input with a 4xx problem", () => {
  const keys = new Map<Route, string>();
  // A fresh write key per route keeps each under its own rate limit.
  async function keyFor(route: Route) {
    const existing = keys.get(route);
    if (existing) return existing;
    const clinicId = route.audience === "platform" ? null : demo;
    const { key } = await createApiKey({ db, actor: staffActor(clinicId ? adminId : platformId, clinicId), clinicId }, { name: `malformed ${route.operationId}`, scope: "write" });
    keys.set(route, key);
    return key;
  }

  it("covers every route in the table", () => {
    for (const route of ROUTES) {
      const takesInput = route.path.includes("{") || route.query || route.body;
      if (takesInput) expect(restCases.some((c) => c.route === route), `${route.method} ${route.path}`).toBe(true);
    }
  });

  it.each(restCases)("$label", async ({ route, c }) => {
    const headers: Record<string, string> = { authorization: `Bearer ${await keyFor(route)}`, "content-type": "application/json", "idempotency-key": randomUUID() };
    const url = `http://localhost/api/v1${c.path}${c.query ? `?${c.query}` : ""}`;
    const request = new Request(url, { method: route.method, headers, body: c.body });
    const handler = rest[route.method];
    const response = await handler(request);
    const text = await response.text();
    expect(response.status, text).toBeGreaterThanOrEqual(400);
    expect(response.status, text).toBeLessThan(500);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const problem = JSON.parse(text) as { detail?: unknown };
    expect(typeof problem.detail === "string" && problem.detail.length > 0, text).toBe(true);
  });

  it("an unknown route with bad percent-encoding is a 404 problem too", async () => {
    const response = await rest.GET(new Request("http://localhost/api/v1/%E0%A4%A/x"));
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
  });
});

type HandlerCase = { label: string; call: () => Promise<Response> | Response; expect?: "4xx" | "ok" | "redirect" };

const post = (path: string, body: BodyInit | null, headers: Record<string, string> = {}) => new Request(`http://localhost${path}`, { method: "POST", headers, body });
const get = (path: string, headers: Record<string, string> = {}) => new Request(`http://localhost${path}`, { headers });
const owner = () => ({ cookie: ownerCookie });
const BAD_SEGMENTS = ["%E0%A4%A", DASHES, "\u0000", "a\u0000b", "%", "../../etc/passwd"];

const handlerCases = (): HandlerCase[] => [
  // Inbound webhooks: the endpoint id, the body.
  ...BAD_SEGMENTS.flatMap((id) => [
    { label: `POST /api/webhooks/stripe/${JSON.stringify(id)}`, call: () => inbound.POST(post(`/api/webhooks/stripe/x`, "{}"), params({ provider: "stripe", endpointId: id })) },
    { label: `POST /api/webhooks/${JSON.stringify(id)}/<uuid>`, call: () => inbound.POST(post(`/api/webhooks/x/x`, "{}"), params({ provider: id, endpointId: randomUUID() })) },
  ]),
  { label: "POST /api/webhooks/stripe/<uuid>: bad JSON", call: () => inbound.POST(post("/api/webhooks/stripe/x", "{", { "stripe-signature": "t=1,v1=00" }), params({ provider: "stripe", endpointId: randomUUID() })) },
  { label: "POST /api/webhooks/stripe/<uuid>: 5 MB", call: () => inbound.POST(post("/api/webhooks/stripe/x", "a".repeat(FIVE_MB)), params({ provider: "stripe", endpointId: randomUUID() })) },
  // Twilio: a body that is no form, a NUL, 5 MB.
  { label: "POST /api/webhooks/twilio: bad JSON for a form", call: () => twilioRoute.POST(post("/api/webhooks/twilio", "{", { "content-type": "application/json" })) },
  { label: "POST /api/webhooks/twilio: no content type", call: () => twilioRoute.POST(post("/api/webhooks/twilio", "From=%E0%A4%A")) },
  { label: "POST /api/webhooks/twilio: a broken multipart body", call: () => twilioRoute.POST(post("/api/webhooks/twilio", "--x\r\nnot a part", { "content-type": "multipart/form-data; boundary=x" })) },
  { label: "POST /api/webhooks/twilio: NUL", call: () => twilioRoute.POST(post("/api/webhooks/twilio", "From=%00&Body=STOP%00", { "content-type": "application/x-www-form-urlencoded" })) },
  { label: "POST /api/webhooks/twilio: 5 MB", call: () => twilioRoute.POST(post("/api/webhooks/twilio", `Body=${"a".repeat(FIVE_MB)}`, { "content-type": "application/x-www-form-urlencoded" })) },
  // Unsubscribe links.
  ...BAD_SEGMENTS.map((token) => ({ label: `POST /api/unsubscribe/${JSON.stringify(token)}`, call: () => unsubscribe.POST(post("/api/unsubscribe/x", "List-Unsubscribe=One-Click"), params({ token })) })),
  { label: "POST /api/unsubscribe/<5 MB token>", call: () => unsubscribe.POST(post("/api/unsubscribe/x", null), params({ token: "a".repeat(FIVE_MB) })) },
  // The file routes, signed in as the owner so the input itself is what is judged.
  ...BAD_SEGMENTS.map((kind) => ({ label: `GET /api/export/${JSON.stringify(kind)}`, call: () => exportRoute.GET(get("/api/export/x", owner()), params({ kind })) })),
  ...["from=%00", "from=2024-13-45", "to=0000-01-01", "status=%00", "from=" + "9".repeat(5000)].map((query) => ({
    label: `GET /api/export/referrals?${query.slice(0, 40)}`,
    call: () => exportRoute.GET(get(`/api/export/referrals?${query}`, owner()), params({ kind: "referrals" })),
  })),
  // Keys that are no filter of the export are ignored, whatever they hold.
  { label: "GET /api/export/referrals?page=<bad percent-encoding>&q=<NUL>", call: () => exportRoute.GET(get("/api/export/referrals?page=%E0%A4%A&q=a%00b", owner()), params({ kind: "referrals" })), expect: "ok" },
  ...BAD_SEGMENTS.map((id) => ({ label: `GET /api/patients/${JSON.stringify(id)}/export`, call: () => patientArchive.GET(get("/api/patients/x/export", owner()), params({ id })) })),
  { label: "POST /api/patients/import: 5 MB of junk", call: () => importUpload.POST(post("/api/patients/import", "a,".repeat(FIVE_MB / 2), { ...owner(), "content-type": "text/csv" })) },
  { label: "POST /api/patients/import: NUL", call: () => importUpload.POST(post("/api/patients/import", "first_name,last_name,email\nA\u0000,B,c@example.com\n", { ...owner(), "content-type": "text/csv" })) },
  { label: "POST /api/patients/import: not UTF-8", call: () => importUpload.POST(post("/api/patients/import", new Uint8Array([0xe0, 0xa4, 0x41]), { ...owner(), "content-type": "text/csv" })) },
  { label: "POST /api/patients/import: JSON for a CSV", call: () => importUpload.POST(post("/api/patients/import", '{"csv":', { ...owner(), "content-type": "application/json" })) },
  { label: "POST /api/clinic/logo: 5 MB", call: () => logoUpload.POST(post("/api/clinic/logo", new Uint8Array(FIVE_MB), { ...owner(), "content-type": "image/png" })) },
  { label: "POST /api/clinic/logo: NUL bytes", call: () => logoUpload.POST(post("/api/clinic/logo", new Uint8Array(64), { ...owner(), "content-type": "image/png" })) },
  { label: "POST /api/clinic/logo: bad JSON", call: () => logoUpload.POST(post("/api/clinic/logo", "{", { ...owner(), "content-type": "application/json" })) },
  ...BAD_SEGMENTS.map((id) => ({ label: `GET /api/logos/${JSON.stringify(id)}`, call: () => logos.GET(get("/api/logos/x"), params({ id })) })),
  ...BAD_SEGMENTS.map((asset) => ({ label: `GET /api/docs/${JSON.stringify(asset)}`, call: () => docsAsset.GET(get("/api/docs/x"), params({ asset })) })),
  // tRPC.
  { label: "POST /api/trpc/partner.submit: bad JSON", call: () => trpc.POST(post("/api/trpc/partner.submit", "{", { "content-type": "application/json" })) },
  { label: "POST /api/trpc/partner.submit: 5 MB", call: () => trpc.POST(post("/api/trpc/partner.submit", JSON.stringify({ json: { padding: "a".repeat(FIVE_MB) } }), { "content-type": "application/json" })) },
  { label: "GET /api/trpc/<bad percent-encoding>", call: () => trpc.GET(get("/api/trpc/%E0%A4%A")) },
  { label: "GET /api/trpc/clinic.patients?input=<bad JSON> as the owner", call: () => trpc.GET(get("/api/trpc/clinic.patients?input=%7B", owner())) },
  { label: "GET /api/trpc/clinic.patients?input=<NUL> as the owner", call: () => trpc.GET(get(`/api/trpc/clinic.patients?input=${encodeURIComponent(JSON.stringify({ json: { search: "a\u0000b" } }))}`, owner())) },
  {
    label: "GET /api/trpc/activity.list?input=<a cursor with 36 dashes for its id> as the owner",
    call: () => trpc.GET(get(`/api/trpc/activity.list?input=${encodeURIComponent(JSON.stringify({ json: { cursor: `2024-01-01T00:00:00.000000Z~${DASHES}` } }))}`, owner())),
  },
  // Auth.js.
  { label: "GET /api/auth/<bad percent-encoding>", call: () => auth.GET(new NextRequest("http://localhost/api/auth/%E0%A4%A")) },
  // A refused sign-in is Auth.js's redirect back to the sign-in page with its error code, as browsers expect.
  { label: "POST /api/auth/callback/credentials: bad form", expect: "redirect", call: () => auth.POST(new NextRequest("http://localhost/api/auth/callback/credentials", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "email=%E0%A4%A&password=%00" })) },
  // Routes that take no input answer as usual whatever they are sent.
  { label: "GET /api/health?x=%00", call: () => health.GET(), expect: "ok" },
  { label: "GET /api/ping?x=%00", call: () => ping.GET(), expect: "ok" },
  { label: "GET /api/docs?x=%00", call: () => docs.GET(), expect: "ok" },
  { label: "GET /api/v1/openapi.json?x=%00", call: () => openapi.GET(), expect: "ok" },
  { label: "GET /api/portal/export?x=%00 as the patient", call: () => portalArchive.GET(get("/api/portal/export?x=%00", { cookie: patientCookie })), expect: "ok" },
];

describe("issue 19 item 10: every app/api handler answers malformed input with a 4xx and a message", () => {
  it.each(handlerCases().map((c) => [c.label, c] as const))("%s", async (_label, c) => {
    const response = await c.call();
    const text = await response.text();
    if (c.expect === "redirect") {
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toMatch(/\/signin\?.*error=/);
      return;
    }
    if (c.expect === "ok") {
      expect(response.status, text.slice(0, 300)).toBe(200);
      return;
    }
    expect(response.status, text.slice(0, 300)).toBeGreaterThanOrEqual(400);
    expect(response.status, text.slice(0, 300)).toBeLessThan(500);
    expect(text.trim().length, "a clear message").toBeGreaterThan(0);
  });

  it("has a case for every app/api handler", async () => {
    const { readdirSync } = await import("node:fs");
    const path = await import("node:path");
    const root = path.join(import.meta.dirname);
    const routes = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith("route.ts")).map((f) => `/${path.dirname(f)}`);
    const labels = handlerCases().map((c) => c.label);
    const covered = (dir: string) => {
      const pattern = new RegExp(`^[A-Z]+ /api${dir.replace(/\[\.\.\.[^\]]+\]/g, ".*").replace(/\[[^\]]+\]/g, "[^/]+")}`);
      return dir === "/v1/[...path]" || labels.some((l) => pattern.test(l));
    };
    expect(routes.filter((dir) => !covered(dir))).toEqual([]);
  });
});
