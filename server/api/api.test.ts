import { randomUUID } from "node:crypto";
import { Validator } from "@seriousme/openapi-schema-validator";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { appointments, auditLog, creditLedger, creditReservations, orders, referrals, rewards, users } from "@/db/schema";
import { patientActor, staffActor, systemActor } from "@/server/events/actor";
import { API_RATE_LIMIT, createApiKey, pruneIdempotencyKeys, revokeApiKey } from "@/server/services/integrations/api-keys";
import { adjustBalance } from "@/server/services/referrals/controls";
import { expireDueReservations } from "@/server/services/orders/credit-checkout";
import { RECONCILE_JOB_ACTOR } from "@/server/services/orders/settle";
import { creditBalance } from "@/server/services/rewards/ledger";
import { getProgram, settingsOf, updateProgram } from "@/server/services/programs/programs";
import { recordPaidOrder } from "@/server/services/orders/orders";
import { acceptTerms } from "@/server/services/referrals/terms";
import { practiceReferralInput } from "@/server/testing/b2b";
import { createTestDb, itConcurrently } from "@/server/testing/db";
import { callerAs, clinicOf, codeOf, DEMO_SLUG, firstService, paymentEvent, SECOND_SLUG, signUpPatient, userByEmail } from "@/server/testing/fixtures";
import { handleApiRequest } from "./handle";
import { openApiDocument } from "./openapi";
import { ROUTES } from "./routes";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let demo: string;
let second: string;
let adminId: string;
const keys = {} as Record<"write" | "read" | "revoked" | "other" | "platform", string>;
const ids = {} as { patient: string; referral: string; order: string; appointment: string; service: string; reservation: string };
const asAdmin = () => ({ db, actor: staffActor(adminId, demo), clinicId: demo });

async function api(method: string, path: string, options: { key?: string | null; body?: unknown; idempotencyKey?: string; now?: Date } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.idempotencyKey) headers["idempotency-key"] = options.idempotencyKey;
  const request = new Request(`http://app.test/api/v1${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const response = await handleApiRequest(request, { db, now: options.now ? () => options.now as Date : undefined });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

async function grantCredit(patientId: string, cents: number) {
  await adjustBalance(asAdmin(), { patientId, unit: "credit", amount: cents, reason: "test credit", idempotencyKey: randomUUID() });
}

async function newPatient(key = keys.write) {
  const made = await api("POST", "/patients", { key, idempotencyKey: randomUUID(), body: { firstName: "Casey", lastName: "Lane", email: `casey-${randomUUID()}@example.com` } });
  expect(made.status).toBe(201);
  return made.body?.id as string;
}

/** Everything of the demo clinic a refused call could change. */
async function demoRows() {
  const count = async (rows: Promise<unknown[]>) => (await rows).length;
  return {
    users: await count(db.select({ id: users.id }).from(users).where(eq(users.clinicId, demo))),
    ledger: await count(db.select({ id: creditLedger.id }).from(creditLedger).where(eq(creditLedger.clinicId, demo))),
    orders: JSON.stringify(await db.select({ id: orders.id, status: orders.status }).from(orders).where(eq(orders.clinicId, demo)).orderBy(orders.id)),
    reservations: JSON.stringify(await db.select({ id: creditReservations.id, status: creditReservations.status }).from(creditReservations).where(eq(creditReservations.clinicId, demo)).orderBy(creditReservations.id)),
    appointments: JSON.stringify(await db.select({ id: appointments.id, status: appointments.status }).from(appointments).where(eq(appointments.clinicId, demo)).orderBy(appointments.id)),
  };
}

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  demo = (await clinicOf(db, DEMO_SLUG)).id;
  second = (await clinicOf(db, SECOND_SLUG)).id;
  adminId = (await userByEmail(db, "admin@demo.test")).id;
  const otherAdmin = (await userByEmail(db, "admin@second.test")).id;
  const platformAdmin = (await userByEmail(db, "platform@demo.test")).id;
  // The public contract: a clinic admin creates a key through tRPC, answered once.
  const created = await callerAs(db, adminId).integrations.createApiKey({ name: "Front desk POS", scope: "write" });
  keys.write = created.key;
  keys.read = (await createApiKey({ db, actor: staffActor(adminId, demo), clinicId: demo }, { name: "Reports", scope: "read" })).key;
  const revoked = await createApiKey({ db, actor: staffActor(adminId, demo), clinicId: demo }, { name: "Old", scope: "write" });
  await revokeApiKey({ db, actor: staffActor(adminId, demo), clinicId: demo }, { keyId: revoked.apiKey.id });
  keys.revoked = revoked.key;
  keys.other = (await createApiKey({ db, actor: staffActor(otherAdmin, second), clinicId: second }, { name: "Other clinic", scope: "write" })).key;
  keys.platform = (await callerAs(db, platformAdmin).integrations.createPlatformApiKey({ name: "Form tool", scope: "write" })).key;

  ids.service = (await firstService(db, demo)).id;
  ids.patient = await newPatient();
  const [referral] = await db.select({ id: referrals.id }).from(referrals).where(eq(referrals.clinicId, demo)).limit(1);
  ids.referral = referral?.id ?? randomUUID();
  const order = await api("POST", "/orders", { key: keys.write, idempotencyKey: randomUUID(), body: { patientId: ids.patient, amountCents: 2500 } });
  ids.order = order.body?.id as string;
  const booked = await api("POST", "/appointments", { key: keys.write, idempotencyKey: randomUUID(), body: { patientId: ids.patient, scheduledFor: "2026-12-24T10:00:00Z" } });
  ids.appointment = booked.body?.id as string;
  // A live reservation of the demo patient (rule A7): another clinic must not settle it.
  await grantCredit(ids.patient, 2000);
  const held = await api("POST", `/patients/${ids.patient}/credit/redeem`, { key: keys.write, idempotencyKey: randomUUID(), body: { orderTotalCents: 2000, externalRef: `POS-${randomUUID()}` } });
  expect(held.body).toMatchObject({ status: "reserved", amountCents: 2000 });
  ids.reservation = held.body?.id as string;
});

afterAll(async () => {
  await handle?.drop();
});

/** A path of the route with the demo clinic's ids in it. */
function pathOf(path: string): string {
  return path.replace("{id}", (_m) => {
    if (path.startsWith("/referrals")) return ids.referral;
    if (path.startsWith("/orders")) return ids.order;
    if (path.startsWith("/appointments")) return ids.appointment;
    return ids.patient;
  });
}

const sampleBody = (route: (typeof ROUTES)[number]) => (route.body ? (route.bodyExample ?? {}) : undefined);

describe("rule N1: every route refuses a missing, revoked, read-only or foreign key, and changes nothing", () => {
  for (const route of ROUTES) {
    const label = `${route.method} ${route.path}`;
    it(`${label}: no key and a revoked key answer 401`, async () => {
      const before = await demoRows();
      for (const key of [null, keys.revoked, "rk_not_a_real_key"]) {
        const answer = await api(route.method, pathOf(route.path), { key, body: sampleBody(route), idempotencyKey: randomUUID() });
        expect(answer.status).toBe(401);
        expect(answer.headers.get("content-type")).toBe("application/problem+json");
      }
      expect(await demoRows()).toEqual(before);
    });
    if (route.scope === "write") {
      it(`${label}: a read key answers 403`, async () => {
        const before = await demoRows();
        const answer = await api(route.method, pathOf(route.path), { key: route.audience === "platform" ? keys.read : keys.read, body: sampleBody(route), idempotencyKey: randomUUID() });
        expect(answer.status).toBe(403);
        expect(await demoRows()).toEqual(before);
      });
    }
    if (route.audience === "clinic" && route.path.includes("{id}")) {
      it(`${label}: another clinic's key gets 404 for the demo clinic's ids`, async () => {
        const before = await demoRows();
        const body = route.body ? { ...(route.bodyExample as object), ...(route.path.includes("/credit/") && route.operationId !== "quoteCredit" && route.operationId !== "redeemCredit" ? { reservationId: ids.reservation } : {}) } : undefined;
        const answer = await api(route.method, pathOf(route.path), { key: keys.other, body, idempotencyKey: randomUUID() });
        expect(answer.status).toBe(404);
        expect(await demoRows()).toEqual(before);
      });
    }
    it(`${label}: a key of the wrong kind (clinic vs platform) answers 403`, async () => {
      const before = await demoRows();
      const answer = await api(route.method, pathOf(route.path), { key: route.audience === "platform" ? keys.write : keys.platform, body: sampleBody(route), idempotencyKey: randomUUID() });
      expect(answer.status).toBe(403);
      expect(await demoRows()).toEqual(before);
    });
  }
});

describe("the public contract", () => {
  it("GET /api/v1/referrals answers 200 with a key (ids and statuses only) and 401 without", async () => {
    const listed = await api("GET", "/referrals", { key: keys.read });
    expect(listed.status).toBe(200);
    expect(Array.isArray(listed.body?.data)).toBe(true);
    expect(JSON.stringify(listed.body)).not.toMatch(/@/);
    expect((await api("GET", "/referrals")).status).toBe(401);
  });

  it("POST /api/v1/patients answers 201 with the id, and the patient has a code at once (rule P2)", async () => {
    const id = await newPatient();
    const [user] = await db.select().from(users).where(eq(users.id, id));
    expect(user?.role).toBe("patient");
    // The code exists the moment the account does, nobody pressing "generate".
    const code = await codeOf(db, id);
    expect(code).toMatch(/^[A-Z0-9]{10,}$/);
    const link = await api("GET", `/patients/${id}/referral-link`, { key: keys.read });
    // Rule P14: no link before the current terms are accepted.
    expect(link.status).toBe(412);
    await acceptTerms({ db, actor: patientActor(id, demo), clinicId: demo }, { patientId: id, termsVersion: (await getProgram({ db, clinicId: demo })).version.termsVersion });
    const shown = await api("GET", `/patients/${id}/referral-link`, { key: keys.read });
    expect(shown.status).toBe(200);
    expect(shown.body?.code).toBe(code);
    expect(String(shown.body?.url)).toMatch(new RegExp(`/r/${code}$`));
  });

  it("referrals page through updated_since and a cursor without repeats", async () => {
    const first = await api("GET", "/referrals?limit=1", { key: keys.read });
    const all = await api("GET", "/referrals?limit=200", { key: keys.read });
    const total = (all.body?.data as unknown[]).length;
    const seen: string[] = [];
    let cursor = first.body?.nextCursor as string | null;
    seen.push(...(first.body?.data as { id: string }[]).map((r) => r.id));
    while (cursor) {
      const page = await api("GET", `/referrals?limit=1&cursor=${cursor}`, { key: keys.read });
      seen.push(...(page.body?.data as { id: string }[]).map((r) => r.id));
      cursor = page.body?.nextCursor as string | null;
    }
    expect(new Set(seen).size).toBe(total);
    const future = await api("GET", `/referrals?updated_since=${encodeURIComponent("2999-01-01T00:00:00Z")}`, { key: keys.read });
    expect(future.body?.data).toEqual([]);
  });

  it("search takes personal data in the body and finds the patient by email", async () => {
    const email = `find-${randomUUID()}@example.com`;
    const made = await api("POST", "/patients", { key: keys.write, idempotencyKey: randomUUID(), body: { firstName: "Fin", lastName: "Doe", email, externalId: `PMS-${randomUUID()}` } });
    const found = await api("POST", "/patients/search", { key: keys.read, body: { email } });
    expect(found.status).toBe(200);
    expect((found.body?.data as { id: string }[]).map((p) => p.id)).toEqual([made.body?.id]);
  });
});

describe("rule N4: errors are application/problem+json naming the field", () => {
  it("a bad email names the field, and nothing is created", async () => {
    const before = await demoRows();
    const answer = await api("POST", "/patients", { key: keys.write, idempotencyKey: randomUUID(), body: { firstName: "A", lastName: "B", email: "not-an-email" } });
    expect(answer.status).toBe(400);
    expect(answer.headers.get("content-type")).toBe("application/problem+json");
    expect(answer.body).toMatchObject({ status: 400, title: "Bad request", field: "email" });
    expect(typeof answer.body?.type).toBe("string");
    expect(typeof answer.body?.detail).toBe("string");
    expect(await demoRows()).toEqual(before);
  });

  it("an email the clinic already has answers 409 naming email", async () => {
    const email = `dup-${randomUUID()}@example.com`;
    await api("POST", "/patients", { key: keys.write, idempotencyKey: randomUUID(), body: { firstName: "A", lastName: "B", email } });
    const again = await api("POST", "/patients", { key: keys.write, idempotencyKey: randomUUID(), body: { firstName: "A", lastName: "B", email } });
    expect(again.status).toBe(409);
    expect(again.body?.field).toBe("email");
  });
});

describe("rule N2: Idempotency-Key with Stripe's semantics", () => {
  it("is required on a POST that creates a patient", async () => {
    const answer = await api("POST", "/patients", { key: keys.write, body: { firstName: "A", lastName: "B", email: `k-${randomUUID()}@example.com` } });
    expect(answer.status).toBe(400);
    expect(answer.body?.field).toBe("Idempotency-Key");
  });

  it("same key and body answer the first response again; same key, other body: 422", async () => {
    const key = randomUUID();
    const body = { firstName: "Idem", lastName: "Potent", email: `idem-${randomUUID()}@example.com` };
    const first = await api("POST", "/patients", { key: keys.write, idempotencyKey: key, body });
    const again = await api("POST", "/patients", { key: keys.write, idempotencyKey: key, body: { email: body.email, lastName: body.lastName, firstName: body.firstName } });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const other = await api("POST", "/patients", { key: keys.write, idempotencyKey: key, body: { ...body, firstName: "Other" } });
    expect(other.status).toBe(422);
    expect(other.headers.get("content-type")).toBe("application/problem+json");
  });

  itConcurrently("20 concurrent identical POSTs with one key create one patient", async () => {
    const key = randomUUID();
    const email = `many-${randomUUID()}@example.com`;
    const answers = await Promise.all(Array.from({ length: 20 }, () => api("POST", "/patients", { key: keys.write, idempotencyKey: key, body: { firstName: "Many", lastName: "Times", email } })));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    expect(new Set(answers.map((a) => a.body?.id)).size).toBe(1);
    expect(await db.select().from(users).where(and(eq(users.clinicId, demo), eq(users.email, email)))).toHaveLength(1);
  });

  itConcurrently("20 concurrent identical POSTs with one key record one order", async () => {
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 20 }, () => api("POST", "/orders", { key: keys.write, idempotencyKey: key, body: { patientId: ids.patient, items: [{ serviceId: ids.service, quantity: 1 }] } })));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    const orderIds = new Set(answers.map((a) => a.body?.id));
    expect(orderIds.size).toBe(1);
    expect(await db.select().from(orders).where(eq(orders.id, [...orderIds][0] as string))).toHaveLength(1);
  });
});

describe("rules A7, P9: credit at the clinic's own checkout", () => {
  const redeem = (patientId: string, total: number, ref = `POS-${randomUUID()}`) =>
    api("POST", `/patients/${patientId}/credit/redeem`, { key: keys.write, idempotencyKey: randomUUID(), body: { orderTotalCents: total, externalRef: ref } });
  const settle = (patientId: string, what: "capture" | "release", reservationId: string) =>
    api("POST", `/patients/${patientId}/credit/${what}`, { key: keys.write, idempotencyKey: randomUUID(), body: { reservationId } });

  it("A7, P9: quote, redeem, capture and record the order: the credit is spent once, never more than the total", async () => {
    const patient = await newPatient();
    await grantCredit(patient, 5000);
    const quote = await api("POST", `/patients/${patient}/credit/quote`, { key: keys.read, body: { orderTotalCents: 3000 } });
    expect(quote.body).toEqual({ orderTotalCents: 3000, discount: null, balanceCents: 5000, creditCents: 3000, payableCents: 0 });
    const held = await redeem(patient, 3000);
    expect(held.status).toBe(201);
    expect(held.body).toMatchObject({ amountCents: 3000, status: "reserved" });
    expect(await creditBalance(asAdmin(), { patientId: patient })).toBe(2000);
    const reservationId = held.body?.id as string;
    const captured = await settle(patient, "capture", reservationId);
    expect(captured.body?.status).toBe("captured");
    // Capture twice captures once.
    expect((await settle(patient, "capture", reservationId)).body?.status).toBe("captured");
    const order = await api("POST", "/orders", { key: keys.write, idempotencyKey: randomUUID(), body: { patientId: patient, amountCents: 3000, reservationId } });
    expect(order.status).toBe(201);
    expect(order.body).toMatchObject({ totalCents: 3000, creditAppliedCents: 3000, chargedCents: 0, status: "paid" });
    expect(await creditBalance(asAdmin(), { patientId: patient })).toBe(2000);
    // Rule P13: the refund gives the reserved credit back.
    const refunded = await api("POST", `/orders/${order.body?.id as string}/refund`, { key: keys.write, idempotencyKey: randomUUID(), body: { reason: "Treatment cancelled" } });
    expect(refunded.body?.status).toBe("refunded");
    expect(await creditBalance(asAdmin(), { patientId: patient })).toBe(5000);
  });

  it("A7: an order recorded from outside never spends credit unless it was redeemed", async () => {
    const patient = await newPatient();
    await grantCredit(patient, 4000);
    const order = await api("POST", "/orders", { key: keys.write, idempotencyKey: randomUUID(), body: { patientId: patient, items: [{ serviceId: ids.service, quantity: 1 }] } });
    expect(order.status).toBe(201);
    expect(order.body?.creditAppliedCents).toBe(0);
    expect(order.body?.chargedCents).toBe(order.body?.totalCents);
    expect(await creditBalance(asAdmin(), { patientId: patient })).toBe(4000);
  });

  it("A7: a released reservation gives the credit back; releasing twice releases once; a released one cannot be captured", async () => {
    const patient = await newPatient();
    await grantCredit(patient, 1500);
    const held = await redeem(patient, 9000);
    expect(held.body?.amountCents).toBe(1500);
    expect(await creditBalance(asAdmin(), { patientId: patient })).toBe(0);
    const id = held.body?.id as string;
    expect((await settle(patient, "release", id)).body?.status).toBe("released");
    expect((await settle(patient, "release", id)).body?.status).toBe("released");
    expect(await creditBalance(asAdmin(), { patientId: patient })).toBe(1500);
    const late = await settle(patient, "capture", id);
    expect(late.status).toBe(409);
  });

  it("A7: the same live order reference answers the same reservation (idempotent redeem)", async () => {
    const patient = await newPatient();
    await grantCredit(patient, 1000);
    const ref = `POS-${randomUUID()}`;
    const first = await redeem(patient, 800, ref);
    const again = await redeem(patient, 800, ref);
    expect(again.body?.id).toBe(first.body?.id);
    expect(await creditBalance(asAdmin(), { patientId: patient })).toBe(200);
  });

  it("A7: an unreleased reservation expires after 30 minutes and returns the credit, once", async () => {
    const patient = await newPatient();
    await grantCredit(patient, 2500);
    const held = await redeem(patient, 2500);
    expect(await creditBalance(asAdmin(), { patientId: patient })).toBe(0);
    expect(await expireDueReservations({ db, actor: RECONCILE_JOB_ACTOR, clinicId: null }, { now: new Date(Date.now() + 29 * 60_000) })).toBe(0);
    expect(await expireDueReservations({ db, actor: RECONCILE_JOB_ACTOR, clinicId: null }, { now: new Date(Date.now() + 31 * 60_000) })).toBeGreaterThanOrEqual(1);
    expect(await expireDueReservations({ db, actor: RECONCILE_JOB_ACTOR, clinicId: null }, { now: new Date(Date.now() + 31 * 60_000) })).toBe(0);
    expect(await creditBalance(asAdmin(), { patientId: patient })).toBe(2500);
    const [row] = await db.select().from(creditReservations).where(eq(creditReservations.id, held.body?.id as string));
    expect(row?.status).toBe("expired");
    expect((await settle(patient, "capture", row?.id as string)).status).toBe(409);
  });

  it("A7: the redeem enqueues the expiry job 30 minutes out", async () => {
    const patient = await newPatient();
    await grantCredit(patient, 100);
    const held = await redeem(patient, 100);
    const { rows } = await handle.executeSql(`select start_after from pgboss.job where name = 'credit.reservation-expire' and data->>'reservationId' = $1`, [held.body?.id]);
    expect(rows).toHaveLength(1);
    const startAfter = new Date((rows[0] as { start_after: string }).start_after).getTime();
    expect(Math.abs(startAfter - new Date(held.body?.expiresAt as string).getTime())).toBeLessThan(1000);
  });

  itConcurrently("A7, P9: two concurrent redeems for one balance never reserve more than it; never negative", async () => {
    const patient = await newPatient();
    await grantCredit(patient, 3000);
    const [a, b] = await Promise.all([redeem(patient, 3000), redeem(patient, 3000)]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect((a.body?.amountCents as number) + (b.body?.amountCents as number)).toBe(3000);
    expect(await creditBalance(asAdmin(), { patientId: patient })).toBe(0);
  });

  itConcurrently("A7: a capture racing a release: exactly one wins, and the balance matches it", async () => {
    for (let round = 0; round < 5; round++) {
      const patient = await newPatient();
      await grantCredit(patient, 1200);
      const held = await redeem(patient, 1200);
      const id = held.body?.id as string;
      const [capture, release] = await Promise.all([settle(patient, "capture", id), settle(patient, "release", id)]);
      const [row] = await db.select().from(creditReservations).where(eq(creditReservations.id, id));
      if (row?.status === "captured") {
        expect(capture.status).toBe(200);
        expect(release.status).toBe(409);
        expect(await creditBalance(asAdmin(), { patientId: patient })).toBe(0);
      } else {
        expect(row?.status).toBe("released");
        expect(release.status).toBe(200);
        expect(capture.status).toBe(409);
        expect(await creditBalance(asAdmin(), { patientId: patient })).toBe(1200);
      }
    }
  });
});

describe("keys: rate limit and audit", () => {
  it("past the per-key limit the API answers 429 with Retry-After", async () => {
    const { key } = await createApiKey({ db, actor: staffActor(adminId, demo), clinicId: demo }, { name: "Busy", scope: "read" });
    const now = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 1_000);
    for (let i = 0; i < API_RATE_LIMIT.limit; i++) expect((await api("GET", `/patients/${ids.patient}/balance`, { key, now })).status).toBe(200);
    const refused = await api("GET", `/patients/${ids.patient}/balance`, { key, now });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
  });

  it("every call is audited with the key as actor (rule C4)", async () => {
    const { key, apiKey } = await createApiKey({ db, actor: staffActor(adminId, demo), clinicId: demo }, { name: "Audited", scope: "read" });
    await api("GET", `/patients/${ids.patient}`, { key });
    await api("GET", `/patients/${randomUUID()}`, { key });
    const entries = await db.select().from(auditLog).where(and(eq(auditLog.actorKind, "apiKey"), eq(auditLog.actorLabel, apiKey.id)));
    expect(entries.map((e) => [e.action, e.clinicId, e.actorId, (e.after as { status: number }).status]).sort()).toEqual([
      ["api.getPatient", demo, null, 200],
      ["api.getPatient", demo, null, 404],
    ]);
  });
});

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1, valid, and lists every route with its auth and errors", async () => {
    const document = openApiDocument();
    expect(document.openapi.startsWith("3.1")).toBe(true);
    const result = await new Validator().validate(document as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    for (const route of ROUTES) {
      const operation = (document.paths?.[`/api/v1${route.path}`] as Record<string, { security?: unknown; responses: Record<string, unknown> }>)[route.method.toLowerCase()];
      expect(operation, route.operationId).toBeDefined();
      expect(operation?.responses).toHaveProperty("401");
      expect(operation?.responses).toHaveProperty(String(route.status));
    }
  });
});

describe("Idempotency-Key lifetime", () => {
  it("rule N2: keys are kept 24 hours, then pruned by the daily run", async () => {
    const key = randomUUID();
    await api("POST", "/patients/search", { key: keys.read, idempotencyKey: key, body: { email: "nobody@example.com" } });
    const daily = { db, actor: systemActor("runs.platform.daily"), clinicId: null };
    expect(await pruneIdempotencyKeys(daily, { now: new Date(Date.now() + 23 * 3_600_000) })).toBe(0);
    expect(await pruneIdempotencyKeys(daily, { now: new Date(Date.now() + 25 * 3_600_000) })).toBeGreaterThan(0);
  });
});

describe("appointments, referral link and the partner program through the API", () => {
  it("P7: booked, attended (twice is once), and an attended one cannot be cancelled", async () => {
    const patient = await newPatient();
    const booked = await api("POST", "/appointments", { key: keys.write, idempotencyKey: randomUUID(), body: { patientId: patient, scheduledFor: "2026-12-24T10:00:00Z" } });
    expect(booked.body).toMatchObject({ patientId: patient, status: "booked" });
    const id = booked.body?.id as string;
    expect((await api("POST", `/appointments/${id}/attended`, { key: keys.write })).body?.status).toBe("attended");
    expect((await api("POST", `/appointments/${id}/attended`, { key: keys.write })).body?.status).toBe("attended");
    const cancel = await api("POST", `/appointments/${id}/cancelled`, { key: keys.write });
    expect(cancel.status).toBe(400);
    const other = await api("POST", "/appointments", { key: keys.write, idempotencyKey: randomUUID(), body: { patientId: patient, scheduledFor: "2026-12-26T10:00:00Z" } });
    expect((await api("POST", `/appointments/${other.body?.id as string}/cancelled`, { key: keys.write })).body?.status).toBe("cancelled");
  });

  it("P2, P14: the code and link once the patient accepted the current terms", async () => {
    const patient = await newPatient();
    expect((await api("GET", `/patients/${patient}/referral-link`, { key: keys.read })).status).toBe(412);
    const program = await getProgram({ db, clinicId: demo });
    await acceptTerms({ db, actor: patientActor(patient, demo), clinicId: demo }, { patientId: patient, termsVersion: program.version.termsVersion });
    const link = await api("GET", `/patients/${patient}/referral-link`, { key: keys.read });
    expect(link.status).toBe(200);
    expect(link.body?.url).toBe(`${String(link.body?.url).split("/r/")[0]}/r/${String(link.body?.code)}`);
  });

  it("N1: an order with another clinic's service is refused naming items, and records nothing", async () => {
    const before = await demoRows();
    const foreign = await firstService(db, second);
    const answer = await api("POST", "/orders", { key: keys.write, idempotencyKey: randomUUID(), body: { patientId: ids.patient, items: [{ serviceId: foreign.id, quantity: 1 }] } });
    expect(answer.status).toBe(400);
    expect(answer.body?.field).toBe("items");
    expect(await demoRows()).toEqual(before);
  });

  it("B1, B5: a platform key submits a practice referral and reads its status by token", async () => {
    const submitted = await api("POST", "/partner/submissions", { key: keys.platform, idempotencyKey: randomUUID(), body: practiceReferralInput() });
    expect(submitted.status).toBe(201);
    expect(submitted.body?.duplicate).toBe(false);
    const status = await api("POST", "/partner/submissions/status", { key: keys.platform, body: { token: submitted.body?.statusToken } });
    expect(status.status).toBe(200);
    expect((status.body?.referrals as { status: string }[])[0]?.status).toBe("submitted");
  });
});

describe("rules A7, P8, P9: a percent-off reward at the clinic's own checkout", () => {
  it("P8, A7: the quote names the discount, the redeem holds it with the credit, a release frees it, the order uses it once", async () => {
    await updateProgram({ db, actor: staffActor(adminId, demo), clinicId: demo }, { settings: { ...settingsOf(await getProgram({ db, clinicId: demo })), refereeReward: { kind: "percent", amount: 15 }, velocityLimitPerDay: 100 } });
    const referrer = (await signUpPatient(db)).userId;
    const patient = (await signUpPatient(db, { code: await codeOf(db, referrer) })).userId;
    await recordPaidOrder({ db, actor: paymentEvent(demo), clinicId: demo }, { patientId: patient, items: [{ serviceId: ids.service, quantity: 1 }], idempotencyKey: randomUUID() });
    await grantCredit(patient, 1000);
    const quote = await api("POST", `/patients/${patient}/credit/quote`, { key: keys.read, body: { orderTotalCents: 10000 } });
    expect(quote.body).toMatchObject({ discount: { percent: 15, cents: 1500 }, balanceCents: 1000, creditCents: 1000, payableCents: 7500 });
    const voucherId = (quote.body?.discount as { rewardId: string }).rewardId;

    const redeem = (ref: string) => api("POST", `/patients/${patient}/credit/redeem`, { key: keys.write, idempotencyKey: randomUUID(), body: { orderTotalCents: 10000, externalRef: ref } });
    const first = await redeem(`POS-${randomUUID()}`);
    expect(first.body).toMatchObject({ discountCents: 1500, amountCents: 1000 });
    // Held: another quote, or another order, gets no discount from it.
    expect((await api("POST", `/patients/${patient}/credit/quote`, { key: keys.read, body: { orderTotalCents: 10000 } })).body?.discount).toBeNull();
    const meanwhile = await recordPaidOrder({ db, actor: paymentEvent(demo), clinicId: demo }, { patientId: patient, items: [{ serviceId: ids.service, quantity: 1 }], idempotencyKey: randomUUID() });
    expect([meanwhile.discountCents, meanwhile.creditAppliedCents]).toEqual([0, 0]);
    await api("POST", `/patients/${patient}/credit/release`, { key: keys.write, idempotencyKey: randomUUID(), body: { reservationId: first.body?.id } });
    expect((await api("POST", `/patients/${patient}/credit/quote`, { key: keys.read, body: { orderTotalCents: 10000 } })).body?.discount).toMatchObject({ rewardId: voucherId });

    const second = await redeem(`POS-${randomUUID()}`);
    expect(second.body).toMatchObject({ discountCents: 1500, amountCents: 1000 });
    const order = await api("POST", "/orders", { key: keys.write, idempotencyKey: randomUUID(), body: { patientId: patient, amountCents: 10000, reservationId: second.body?.id } });
    expect(order.body).toMatchObject({ totalCents: 10000, creditAppliedCents: 1000, chargedCents: 7500, status: "paid" });
    const [voucher] = await db.select().from(rewards).where(eq(rewards.id, voucherId));
    expect(voucher?.usedByOrderId).toBe(order.body?.id);
    expect((await api("POST", `/patients/${patient}/credit/quote`, { key: keys.read, body: { orderTotalCents: 10000 } })).body?.discount).toBeNull();
    expect(await creditBalance(asAdmin(), { patientId: patient })).toBe(0);
  });
});
