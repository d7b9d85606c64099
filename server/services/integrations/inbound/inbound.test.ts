import { createHmac } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type Db } from "@/db/client";
import { appointments, auditLog, b2bReferrals, inboundEndpoints, inboundEvents, orders, rewards } from "@/db/schema";
import { createTestDb, itConcurrently } from "@/server/testing/db";
import { systemActor } from "@/server/events/actor";
import { callerAs, clinicOf, codeOf, DEMO_SLUG, SECOND_SLUG, signUpPatient, userByEmail } from "@/server/testing/fixtures";
import { practiceReferralInput } from "@/server/testing/b2b";
import { processInboundEvent } from "./process";
import { purgeInboundPayloads, receiveInbound } from "./receive";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
const ctx = { clinicId: "", otherClinicId: "", adminId: "", otherAdminId: "", referrerId: "" };

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  ctx.clinicId = (await clinicOf(db, DEMO_SLUG)).id;
  ctx.otherClinicId = (await clinicOf(db, SECOND_SLUG)).id;
  ctx.adminId = (await userByEmail(db, "admin@demo.test")).id;
  ctx.otherAdminId = (await userByEmail(db, "admin@second.test")).id;
  ctx.referrerId = (await userByEmail(db, "patient@demo.test")).id;
});
afterAll(() => handle.drop());

const stripeHeader = (body: string, secret: string, timestamp?: number) => Stripe.webhooks.generateTestHeaderString({ payload: body, secret, ...(timestamp && { timestamp }) });

function stripeEvent(type: string, object: Record<string, unknown>) {
  return JSON.stringify({ id: `evt_${crypto.randomUUID().replace(/-/g, "")}`, object: "event", type, created: Math.floor(Date.now() / 1000), data: { object } });
}

async function stripeEndpoint() {
  return callerAs(db, ctx.adminId).integrations.createInbound({ provider: "stripe" });
}

/** Works what the queue would: every event still waiting, as many times as asked, at once. */
async function processAll(times = 1) {
  const waiting = await db.select({ id: inboundEvents.id }).from(inboundEvents).where(eq(inboundEvents.status, "received"));
  await Promise.all(waiting.flatMap((e) => Array.from({ length: times }, () => processInboundEvent({ db }, { inboundEventId: e.id }))));
}

const jobsFor = (eventId: string) => queryRows<{ n: number }>(db, sql`select count(*)::int as n from pgboss.job where name = 'inbound.process' and data->>'inboundEventId' = ${eventId}`);

describe("rule A5: Stripe", () => {
  itConcurrently("A5: 50 concurrent deliveries of one signed checkout.session.completed make one paid order and one reward pair", async () => {
    const referee = await signUpPatient(db, { code: await codeOf(db, ctx.referrerId), firstName: "Sasha" });
    const { id, url, signingSecret } = await stripeEndpoint();
    expect(url).toMatch(new RegExp(`/api/webhooks/stripe/${id}$`));
    expect(signingSecret).toMatch(/^whsec_/);
    const body = stripeEvent("checkout.session.completed", { id: "cs_1", object: "checkout.session", payment_status: "paid", payment_intent: `pi_${crypto.randomUUID()}`, amount_total: 12_500, customer_details: { email: referee.email }, metadata: {} });
    const signature = stripeHeader(body, signingSecret);
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => receiveInbound({ db }, { provider: "stripe", endpointId: id, body, signature })));
    expect(outcomes.filter((o) => o.kind === "accepted")).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === "duplicate")).toHaveLength(49);
    const accepted = outcomes.find((o) => o.kind === "accepted");
    expect(await jobsFor(accepted && "eventId" in accepted ? accepted.eventId : "")).toEqual([{ n: 1 }]);
    await processAll(5);
    const paid = await db.select().from(orders).where(eq(orders.patientId, referee.userId));
    expect(paid).toHaveLength(1);
    expect(paid[0]).toMatchObject({ status: "paid", totalCents: 12_500, creditAppliedCents: 0, chargedCents: 12_500 });
    expect(await db.select().from(rewards).where(eq(rewards.referralId, referee.referralId ?? ""))).toHaveLength(2);
    const [event] = await db.select().from(inboundEvents).where(eq(inboundEvents.endpointId, id));
    expect(event).toMatchObject({ status: "processed", attempts: 1 });
    // Audited with the webhook actor that acted.
    const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.action, "order.record"), eq(auditLog.targetId, paid[0]?.id ?? "")));
    expect(audit).toMatchObject({ actorKind: "webhook", actorId: null });
    expect(audit?.actorLabel).toMatch(/^stripe:evt_/);
  });

  it("A5: a delivery signed longer ago than the tolerance, or with a bad signature, is refused and stores nothing but a count", async () => {
    const { id, signingSecret } = await stripeEndpoint();
    const body = stripeEvent("payment_intent.succeeded", { id: `pi_${crypto.randomUUID()}`, object: "payment_intent", amount_received: 5000, metadata: { patient_id: ctx.referrerId } });
    const stale = stripeHeader(body, signingSecret, Math.floor(Date.now() / 1000) - 10 * 60);
    const forged = stripeHeader(body, "whsec_not-the-endpoints-secret");
    const ordersBefore = await db.$count(orders, eq(orders.clinicId, ctx.clinicId));
    for (const signature of [stale, forged, null, stripeHeader(body.replace("5000", "9000"), signingSecret).replace(/v1=[0-9a-f]+/, "v1=00")]) {
      expect(await receiveInbound({ db }, { provider: "stripe", endpointId: id, body, signature })).toMatchObject({ kind: "refused" });
    }
    expect(await db.$count(inboundEvents, eq(inboundEvents.endpointId, id))).toBe(0);
    expect(await db.$count(orders, eq(orders.clinicId, ctx.clinicId))).toBe(ordersBefore);
    const [endpoint] = await db.select().from(inboundEndpoints).where(eq(inboundEndpoints.id, id));
    expect(endpoint?.badSignatures).toBe(4);
    // The same body, freshly signed, is accepted.
    expect(await receiveInbound({ db }, { provider: "stripe", endpointId: id, body, signature: stripeHeader(body, signingSecret) })).toMatchObject({ kind: "accepted" });
  });

  it("A5: payment_intent.succeeded after the checkout's event is the same payment, and never spends the patient's credit", async () => {
    const { id, signingSecret } = await callerAs(db, ctx.adminId).integrations.createInbound({ provider: "stripe", signingSecret: "whsec_pasted-from-the-stripe-dashboard" });
    expect(signingSecret).toBe("whsec_pasted-from-the-stripe-dashboard");
    const pi = `pi_${crypto.randomUUID()}`;
    const post = async (body: string) => receiveInbound({ db }, { provider: "stripe", endpointId: id, body, signature: stripeHeader(body, signingSecret) });
    await post(stripeEvent("checkout.session.completed", { payment_status: "paid", payment_intent: pi, amount_total: 4000, metadata: { patient_id: ctx.referrerId } }));
    await post(stripeEvent("payment_intent.succeeded", { id: pi, amount_received: 4000, metadata: { patient_id: ctx.referrerId } }));
    await processAll();
    const paid = await db.select().from(orders).where(eq(orders.paymentRef, pi));
    expect(paid).toHaveLength(1);
    // The referrer holds credit from the earlier referral; a provider's payment leaves it alone (rule A7).
    expect(paid[0]?.creditAppliedCents).toBe(0);
  });

  it("A5: charge.refunded refunds a fully refunded order (P13) and only notes a partial refund", async () => {
    const referee = await signUpPatient(db, { code: await codeOf(db, ctx.referrerId), firstName: "Noor" });
    const { id, signingSecret } = await stripeEndpoint();
    const post = async (body: string) => receiveInbound({ db }, { provider: "stripe", endpointId: id, body, signature: stripeHeader(body, signingSecret) });
    const pi = `pi_${crypto.randomUUID()}`;
    await post(stripeEvent("payment_intent.succeeded", { id: pi, amount_received: 8000, receipt_email: referee.email.toUpperCase(), metadata: {} }));
    await processAll();
    await post(stripeEvent("charge.refunded", { payment_intent: pi, amount: 8000, amount_refunded: 2000, refunded: false }));
    await processAll();
    let [order] = await db.select().from(orders).where(eq(orders.paymentRef, pi));
    expect(order?.status).toBe("paid");
    await post(stripeEvent("charge.refunded", { payment_intent: pi, amount: 8000, amount_refunded: 8000, refunded: true }));
    await processAll();
    [order] = await db.select().from(orders).where(eq(orders.paymentRef, pi));
    expect(order?.status).toBe("refunded");
    const outcomes = (await db.select().from(inboundEvents).where(eq(inboundEvents.endpointId, id))).map((e) => e.outcome);
    expect(outcomes.some((o) => o?.startsWith("Partial refund"))).toBe(true);
  });

  it("A5: an event for nobody at the clinic fails with a reason the console lists, and staff can re-process it", async () => {
    const { id, signingSecret } = await stripeEndpoint();
    const body = stripeEvent("payment_intent.succeeded", { id: `pi_${crypto.randomUUID()}`, amount_received: 1000, receipt_email: "stranger@example.com", metadata: {} });
    await receiveInbound({ db }, { provider: "stripe", endpointId: id, body, signature: stripeHeader(body, signingSecret) });
    await processAll();
    const caller = callerAs(db, ctx.adminId);
    const [failed] = (await caller.integrations.inboundEvents({ failedOnly: true })).filter((e) => e.endpointId === id);
    expect(failed?.outcome).toMatch(/No patient/);
    // N1: another clinic neither sees nor re-processes it.
    const other = callerAs(db, ctx.otherAdminId);
    expect((await other.integrations.inboundEvents({ failedOnly: false })).map((e) => e.id)).not.toContain(failed?.id);
    await expect(other.integrations.reprocessInbound({ inboundEventId: failed?.id ?? "" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await caller.integrations.reprocessInbound({ inboundEventId: failed?.id ?? "" });
    const [again] = await db.select().from(inboundEvents).where(eq(inboundEvents.id, failed?.id ?? ""));
    expect(again?.status).toBe("received");
  });

  it("A5: raw payloads are purged after 30 days; the event and its outcome stay", async () => {
    const { id, signingSecret } = await stripeEndpoint();
    const body = stripeEvent("customer.created", { id: "cus_1" });
    await receiveInbound({ db }, { provider: "stripe", endpointId: id, body, signature: stripeHeader(body, signingSecret) });
    await processAll();
    const daily = { db, actor: systemActor("runs.platform.daily"), clinicId: null };
    expect(await purgeInboundPayloads(daily, { now: new Date(Date.now() + 29 * 86_400_000) })).toBe(0);
    expect(await purgeInboundPayloads(daily, { now: new Date(Date.now() + 31 * 86_400_000) })).toBeGreaterThan(0);
    const [event] = await db.select().from(inboundEvents).where(eq(inboundEvents.endpointId, id));
    expect(event).toMatchObject({ payload: null, status: "ignored" });
  });
});

/** Calendly's documented scheme: `t=<seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
const calendlyHeader = (body: string, key: string, t = Math.floor(Date.now() / 1000)) => `t=${t},v1=${createHmac("sha256", key).update(`${t}.${body}`).digest("hex")}`;

describe("rule A5: Calendly", () => {
  it("A5: invitee.created books (once, however often it arrives) and invitee.canceled cancels; stale signatures are refused", async () => {
    const patient = await signUpPatient(db, { firstName: "Ari" });
    const { id, signingSecret } = await callerAs(db, ctx.adminId).integrations.createInbound({ provider: "calendly" });
    const invitee = { uri: `https://api.calendly.com/scheduled_events/E1/invitees/${crypto.randomUUID()}`, email: patient.email, scheduled_event: { start_time: "2027-01-10T15:00:00.000000Z" } };
    const created = JSON.stringify({ event: "invitee.created", created_at: new Date().toISOString(), payload: invitee });
    const stale = calendlyHeader(created, signingSecret, Math.floor(Date.now() / 1000) - 600);
    expect(await receiveInbound({ db }, { provider: "calendly", endpointId: id, body: created, signature: stale })).toMatchObject({ kind: "refused" });
    expect(await receiveInbound({ db }, { provider: "calendly", endpointId: id, body: created, signature: calendlyHeader(created, "wrong-key") })).toMatchObject({ kind: "refused" });
    for (let i = 0; i < 3; i++) await receiveInbound({ db }, { provider: "calendly", endpointId: id, body: created, signature: calendlyHeader(created, signingSecret) });
    await processAll();
    let booked = await db.select().from(appointments).where(eq(appointments.patientId, patient.userId));
    expect(booked).toHaveLength(1);
    expect(booked[0]?.status).toBe("booked");
    const canceled = JSON.stringify({ event: "invitee.canceled", created_at: new Date().toISOString(), payload: invitee });
    await receiveInbound({ db }, { provider: "calendly", endpointId: id, body: canceled, signature: calendlyHeader(canceled, signingSecret) });
    await processAll();
    booked = await db.select().from(appointments).where(eq(appointments.patientId, patient.userId));
    expect(booked[0]?.status).toBe("cancelled");
  });
});

/** Typeform's documented scheme: `sha256=` and the base64 HMAC-SHA256 of the body. */
const typeformHeader = (body: string, secret: string) => `sha256=${createHmac("sha256", secret).update(body).digest("base64")}`;

describe("rule A5: Typeform", () => {
  it("A5: a form_response becomes a screened practice referral (B1, B2) through the field mapping; a bad signature is refused", async () => {
    const input = practiceReferralInput();
    const mapping = Object.fromEntries(Object.keys(input).filter((k) => k !== "idempotencyKey" && k !== "nickname").map((k) => [`ref_${k}`, k]));
    const { id, signingSecret } = await callerAs(db, (await userByEmail(db, "platform@demo.test")).id).platformIntegrations.createInbound({ provider: "typeform", fieldMapping: mapping });
    const answers = Object.entries(input)
      .filter(([k]) => mapping[`ref_${k}`])
      .map(([k, v]) => (typeof v === "boolean" ? { type: "boolean", boolean: v, field: { ref: `ref_${k}` } } : { type: "text", text: v, field: { ref: `ref_${k}` } }));
    const body = JSON.stringify({ event_id: `01H${crypto.randomUUID()}`, event_type: "form_response", form_response: { form_id: "F1", token: crypto.randomUUID(), answers } });
    expect(await receiveInbound({ db }, { provider: "typeform", endpointId: id, body, signature: typeformHeader(body, "not-it") })).toMatchObject({ kind: "refused" });
    const before = await db.$count(b2bReferrals);
    await receiveInbound({ db }, { provider: "typeform", endpointId: id, body, signature: typeformHeader(body, signingSecret) });
    await receiveInbound({ db }, { provider: "typeform", endpointId: id, body, signature: typeformHeader(body, signingSecret) });
    await processAll(2);
    const [event] = await db.select().from(inboundEvents).where(eq(inboundEvents.endpointId, id));
    expect(event).toMatchObject({ status: "processed" });
    expect(await db.$count(b2bReferrals)).toBe(before + 1);
  });

  it("A5: the platform takes Typeform endpoints only; a clinic's procedures refuse a platform admin", async () => {
    const platform = callerAs(db, (await userByEmail(db, "platform@demo.test")).id);
    await expect(platform.platformIntegrations.createInbound({ provider: "stripe" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(platform.integrations.createInbound({ provider: "stripe" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
