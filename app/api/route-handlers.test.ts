import { createHmac, randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { unzipSync } from "fflate";
import Stripe from "stripe";
import twilio from "twilio";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db, DbHandle } from "@/db/client";
import { clinics, inboundEvents, patientImports, twoFactorSecrets } from "@/db/schema";
import { env } from "@/server/env";
import { staffActor } from "@/server/events/actor";
import { createTestDb } from "@/server/testing/db";
import { callerAs, clinicOf, DEMO_SLUG, SECOND_SLUG, userByEmail } from "@/server/testing/fixtures";
import { sessionCookie } from "@/server/testing/session-cookie";
import { addMember } from "@/server/testing/team";
import { setStaffTwoFactorRequired } from "@/server/auth/two-factor";
import * as logoUpload from "./clinic/logo/route";
import * as docs from "./docs/route";
import * as docsAsset from "./docs/[asset]/route";
import * as exportRoute from "./export/[kind]/route";
import * as logos from "./logos/[id]/route";
import * as patientArchive from "./patients/[id]/export/route";
import * as importUpload from "./patients/import/route";
import * as portalArchive from "./portal/export/route";
import * as inbound from "./webhooks/[provider]/[endpointId]/route";
import * as twilioRoute from "./webhooks/twilio/route";

// The Twilio route answers only where SMS is configured; env is read when it is first imported.
vi.hoisted(() => {
  process.env.TWILIO_AUTH_TOKEN = "twilio-route-test-token";
});

/**
 * Issue 20 item 1: the app/api route handlers themselves, called through their exported GET and
 * POST with real Requests. Signed-in callers carry a real Auth.js session cookie; getDb() answers
 * this file's database.
 */
let handle: DbHandle & { drop: () => Promise<void> };
let db: Db;
let demo: string;
let second: string;
const who = {} as Record<"owner" | "staff" | "patient" | "otherAdmin" | "staffNo2fa" | "adminNo2fa" | "platform", string>;
const cookies = {} as Record<keyof typeof who | "anonymous", string | null>;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  (globalThis as unknown as { appDb?: Promise<DbHandle> }).appDb = Promise.resolve(handle);
  demo = (await clinicOf(db, DEMO_SLUG)).id;
  second = (await clinicOf(db, SECOND_SLUG)).id;
  who.owner = (await userByEmail(db, "admin@demo.test")).id;
  who.staff = (await userByEmail(db, "staff@demo.test")).id;
  who.patient = (await userByEmail(db, "patient@demo.test")).id;
  who.otherAdmin = (await userByEmail(db, "admin@second.test")).id;
  who.platform = (await userByEmail(db, "platform@demo.test")).id;
  // Rule N6: the clinic requires a second factor; the owner has one, two new team members do not.
  await db.insert(twoFactorSecrets).values({ userId: who.owner, secretSealed: "unused by the guard", confirmedAt: new Date() });
  await setStaffTwoFactorRequired(db, { clinicId: demo, actor: staffActor(who.owner, demo), required: true });
  who.staffNo2fa = (await addMember(db, { clinicId: demo, adminId: who.owner, role: "staff" })).userId;
  who.adminNo2fa = (await addMember(db, { clinicId: demo, adminId: who.owner, role: "admin" })).userId;
  cookies.anonymous = null;
  for (const name of Object.keys(who) as (keyof typeof who)[]) cookies[name] = await sessionCookie(db, who[name]);
});
afterAll(() => handle.drop());

const request = (path: string, init: RequestInit & { as?: keyof typeof cookies } = {}) => {
  const headers = new Headers(init.headers);
  const cookie = cookies[init.as ?? "anonymous"];
  if (cookie) headers.set("cookie", cookie);
  return new Request(`http://localhost${path}`, { ...init, headers });
};
const params = <T extends Record<string, string>>(value: T) => ({ params: Promise.resolve(value) });

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89]);
const CSV = "first_name,last_name,email,phone,external_id\nIda,Route,ida-route@example.com,,\n";

/** The four file routes, each as the caller would reach it. */
const FILE_ROUTES = {
  export: (as: keyof typeof cookies) => exportRoute.GET(request("/api/export/referrals", { as }), params({ kind: "referrals" })),
  patientArchive: (as: keyof typeof cookies) => patientArchive.GET(request(`/api/patients/${who.patient}/export`, { as }), params({ id: who.patient })),
  importUpload: (as: keyof typeof cookies) => importUpload.POST(request("/api/patients/import", { as, method: "POST", headers: { "content-type": "text/csv" }, body: CSV })),
  logoUpload: (as: keyof typeof cookies) => logoUpload.POST(request("/api/clinic/logo", { as, method: "POST", headers: { "content-type": "image/png" }, body: PNG })),
};

describe("issue 19 item 13: the file routes use the one guard (role, clinic, second factor)", () => {
  it.each(Object.keys(FILE_ROUTES) as (keyof typeof FILE_ROUTES)[])("%s: anonymous 401, a patient and the platform admin 403, the owner 200", async (name) => {
    const call = FILE_ROUTES[name];
    expect((await call("anonymous")).status).toBe(401);
    for (const as of ["patient", "platform"] as const) {
      const refused = await call(as);
      expect(refused.status, as).toBe(403);
      expect(refused.headers.get("cache-control")).toBe("no-store");
    }
    const allowed = await call("owner");
    expect(allowed.status, await allowed.clone().text()).toBe(200);
  });

  it.each(Object.keys(FILE_ROUTES) as (keyof typeof FILE_ROUTES)[])("%s: staff and an admin without the clinic's required second factor are refused with where to set it up", async (name) => {
    const adminOnly = name === "importUpload" || name === "logoUpload";
    for (const as of adminOnly ? (["adminNo2fa"] as const) : (["staffNo2fa", "adminNo2fa"] as const)) {
      const refused = await FILE_ROUTES[name](as);
      expect(refused.status, as).toBe(403);
      expect(await refused.text()).toMatch(/Set up two-factor sign-in/);
    }
  });

  it("staff reach the staff routes and not the admin ones; an ended session is refused like no session", async () => {
    expect((await FILE_ROUTES.export("staff")).status).toBe(200);
    expect((await FILE_ROUTES.patientArchive("staff")).status).toBe(200);
    expect((await FILE_ROUTES.importUpload("staff")).status).toBe(403);
    expect((await FILE_ROUTES.logoUpload("staff")).status).toBe(403);
    // A cookie whose session row was ended (sign-out everywhere) no longer opens anything.
    const cookie = await sessionCookie(db, who.owner);
    await callerAs(db, who.owner).security.signOutEverywhere();
    const ended = await exportRoute.GET(new Request("http://localhost/api/export/referrals", { headers: { cookie } }), params({ kind: "referrals" }));
    expect(ended.status).toBe(401);
    cookies.owner = await sessionCookie(db, who.owner);
  });

  it("another clinic's admin gets only their own clinic: its export, its import, its logo; the demo patient's archive is not found (rule N1)", async () => {
    const csv = await (await FILE_ROUTES.export("otherAdmin")).text();
    expect(csv).not.toContain("patient@demo.test");
    expect((await FILE_ROUTES.patientArchive("otherAdmin")).status).toBe(404);
    const uploaded = (await (await FILE_ROUTES.importUpload("otherAdmin")).json()) as { importId: string };
    const [made] = await db.select({ clinicId: patientImports.clinicId }).from(patientImports).where(eq(patientImports.id, uploaded.importId));
    expect(made?.clinicId).toBe(second);
    const before = await db.select({ logoId: clinics.logoId }).from(clinics).where(eq(clinics.id, demo));
    const { logoUrl } = (await (await FILE_ROUTES.logoUpload("otherAdmin")).json()) as { logoUrl: string };
    const [theirs] = await db.select({ logoId: clinics.logoId }).from(clinics).where(eq(clinics.id, second));
    expect(logoUrl).toBe(`/api/logos/${theirs?.logoId}`);
    expect(await db.select({ logoId: clinics.logoId }).from(clinics).where(eq(clinics.id, demo))).toEqual(before);
  });

  it("the owner's archive is a zip of the patient, and a patient downloads only their own at /api/portal/export", async () => {
    const archive = await FILE_ROUTES.patientArchive("owner");
    expect(archive.headers.get("content-type")).toBe("application/zip");
    expect(Object.keys(unzipSync(new Uint8Array(await archive.arrayBuffer())))).toContain("patient.json");
    const own = await portalArchive.GET(request("/api/portal/export", { as: "patient" }));
    expect(own.status).toBe(200);
    for (const as of ["anonymous", "owner", "staffNo2fa"] as const) expect((await portalArchive.GET(request("/api/portal/export", { as }))).status, as).toBeGreaterThanOrEqual(401);
    expect((await portalArchive.GET(request("/api/portal/export", { as: "owner" }))).status).toBe(403);
  });

  it("a forged cookie, or the session token sent as a Bearer header, is nobody", async () => {
    const forged = (cookies.owner ?? "").replace(/.{8}$/, "AAAAAAAA");
    expect((await exportRoute.GET(new Request("http://localhost/api/export/referrals", { headers: { cookie: forged } }), params({ kind: "referrals" }))).status).toBe(401);
    const token = (cookies.owner ?? "").split("=")[1] ?? "";
    expect((await exportRoute.GET(new Request("http://localhost/api/export/referrals", { headers: { authorization: `Bearer ${token}` } }), params({ kind: "referrals" }))).status).toBe(401);
  });
});

describe("issue 20 item 1: the inbound webhook route", () => {
  const stripeEvent = () => JSON.stringify({ id: `evt_${randomUUID().replace(/-/g, "")}`, object: "event", type: "customer.created", created: Math.floor(Date.now() / 1000), data: { object: { id: "cus_1", object: "customer" } } });
  const post = (provider: string, endpointId: string, body: string, headers: Record<string, string>) =>
    inbound.POST(new Request(`http://localhost/api/webhooks/${provider}/${endpointId}`, { method: "POST", headers, body }), params({ provider, endpointId }));

  it("reads each provider's own signature header: the right one is stored, the same signature under another name is refused with 400", async () => {
    const stripe = await callerAs(db, who.owner).integrations.createInbound({ provider: "stripe" });
    const body = stripeEvent();
    const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: stripe.signingSecret });
    const wrongName = await post("stripe", stripe.id, body, { "x-stripe-signature": signature });
    expect(wrongName.status).toBe(400);
    expect(await wrongName.json()).toEqual({ error: "The signature does not verify." });
    const right = await post("stripe", stripe.id, body, { "stripe-signature": signature });
    expect(right.status).toBe(200);
    expect(await right.json()).toEqual({ received: true });
    expect(await db.select({ id: inboundEvents.id }).from(inboundEvents).where(eq(inboundEvents.endpointId, stripe.id))).toHaveLength(1);

    const calendly = await callerAs(db, who.owner).integrations.createInbound({ provider: "calendly" });
    const t = Math.floor(Date.now() / 1000);
    const booking = JSON.stringify({ event: "invitee.created", created_at: new Date().toISOString(), payload: { uri: `https://api.calendly.com/invitees/${randomUUID()}`, email: "someone@example.com" } });
    const calendlySignature = `t=${t},v1=${createHmac("sha256", calendly.signingSecret).update(`${t}.${booking}`).digest("hex")}`;
    expect((await post("calendly", calendly.id, booking, { "stripe-signature": calendlySignature })).status).toBe(400);
    expect((await post("calendly", calendly.id, booking, { "calendly-webhook-signature": calendlySignature })).status).toBe(200);
  });

  it("404 for an unknown endpoint, another provider's path, or an id that is no uuid; 413 for a body over 512 KiB", async () => {
    const stripe = await callerAs(db, who.owner).integrations.createInbound({ provider: "stripe" });
    const body = stripeEvent();
    const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: stripe.signingSecret });
    for (const [provider, endpointId] of [["stripe", randomUUID()], ["calendly", stripe.id], ["nope", stripe.id], ["stripe", "-".repeat(36)], ["stripe", "not-an-id"]]) {
      const answer = await post(provider ?? "", endpointId ?? "", body, { "stripe-signature": signature });
      expect(answer.status, `${provider}/${endpointId}`).toBe(404);
      expect(await answer.json()).toEqual({ error: "No such webhook endpoint." });
    }
    const big = "x".repeat(512 * 1024 + 1);
    expect((await post("stripe", stripe.id, big, { "stripe-signature": signature })).status).toBe(413);
    // A body that says it is small and is not is measured, not believed.
    const lying = new Request(`http://localhost/api/webhooks/stripe/${stripe.id}`, { method: "POST", headers: { "content-length": "10", "stripe-signature": signature }, body: big });
    expect((await inbound.POST(lying, params({ provider: "stripe", endpointId: stripe.id }))).status).toBe(413);
  });
});

describe("issue 20 item 1: the Twilio route verifies X-Twilio-Signature itself", () => {
  const url = `${env.APP_URL.replace(/\/$/, "")}/api/webhooks/twilio`;
  const form = { From: "+15555550123", Body: "STOP", MessageSid: "SM123" };
  const post = (signature: string | null, body: Record<string, string> = form) =>
    twilioRoute.POST(
      new Request("http://localhost/api/webhooks/twilio", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...(signature === null ? {} : { "x-twilio-signature": signature }) },
        body: new URLSearchParams(body).toString(),
      }),
    );

  it("a forged or missing signature gets 403 and changes nothing; the real one is answered with TwiML", async () => {
    const valid = twilio.getExpectedTwilioSignature(env.TWILIO_AUTH_TOKEN ?? "", url, form);
    for (const signature of [null, "forged", twilio.getExpectedTwilioSignature("another-token", url, form), twilio.getExpectedTwilioSignature(env.TWILIO_AUTH_TOKEN ?? "", url, { ...form, Body: "START" })]) {
      const refused = await post(signature);
      expect(refused.status, String(signature)).toBe(403);
      expect(await refused.text()).toBe("Bad signature");
    }
    const accepted = await post(valid);
    expect(accepted.status).toBe(200);
    expect(accepted.headers.get("content-type")).toBe("text/xml");
    expect(await accepted.text()).toContain("<Response");
  });
});

describe("issue 20 item 1: public by design", () => {
  it("/api/docs and its assets answer anyone, under the docs' own CSP; an unknown asset is 404", async () => {
    const page = docs.GET();
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script src="/api/docs/init.js">');
    expect(page.headers.get("content-security-policy")).toBeTruthy();
    for (const asset of ["init.js", "swagger-ui.css"]) expect((await docsAsset.GET(request(`/api/docs/${asset}`), params({ asset }))).status, asset).toBe(200);
    for (const asset of ["../package.json", "index.html", "swagger-ui.css\u0000"]) expect((await docsAsset.GET(request(`/api/docs/x`), params({ asset }))).status, asset).toBe(404);
  });

  it("/api/logos/[id] answers a logo to anyone, another clinic's by its id, exactly its bytes and nothing else", async () => {
    const mine = (await (await FILE_ROUTES.logoUpload("owner")).json()) as { logoUrl: string };
    const theirs = (await (await FILE_ROUTES.logoUpload("otherAdmin")).json()) as { logoUrl: string };
    const [theirClinic] = await db.select({ logoId: clinics.logoId }).from(clinics).where(eq(clinics.id, second));
    const id = theirs.logoUrl.split("/").at(-1) ?? "";
    expect(id).toBe(theirClinic?.logoId);
    expect(id).not.toBe(mine.logoUrl.split("/").at(-1));
    for (const as of ["anonymous", "owner", "patient"] as const) {
      const logo = await logos.GET(request(theirs.logoUrl, { as }), params({ id }));
      expect(logo.status, as).toBe(200);
      expect(logo.headers.get("content-type")).toBe("image/png");
      expect(logo.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
      expect(logo.headers.get("set-cookie")).toBeNull();
      expect([...new Uint8Array(await logo.arrayBuffer())]).toEqual([...PNG]);
    }
    for (const bad of [randomUUID(), "-".repeat(36), "x"]) expect((await logos.GET(request(`/api/logos/${bad}`), params({ id: bad }))).status, bad).toBe(404);
  });
});

