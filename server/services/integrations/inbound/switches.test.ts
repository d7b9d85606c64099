import { createHmac } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { and, eq, like, sql } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { Db } from "@/db/client";
import { auditLog, b2bReferrals, domainEvents, inboundEndpoints, inboundEvents, outboxMessages } from "@/db/schema";
import { composeForEvent } from "@/server/services/messages/compose";
import { acceptReferral, startReview } from "@/server/services/partners/lifecycle";
import { staffActor, systemActor } from "@/server/events/actor";
import { createTestDb, itConcurrently } from "@/server/testing/db";
import { callerAs, clinicOf, DEMO_SLUG, userByEmail } from "@/server/testing/fixtures";
import { practiceReferralInput, submitPractice } from "@/server/testing/b2b";
import { sealSigningSecret } from "./verify";
import { processInboundEvent } from "./process";
import { receiveInbound } from "./receive";

// Issue 19, items 3 and 4: Typeform intake is the platform's, refused signatures are limited,
// names typed by the public carry no links, and inbound endpoints can be paused, rotated, deleted.

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
const who = { clinicId: "", admin: "", otherAdmin: "", staff: "", patient: "", platform: "" };

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  who.clinicId = (await clinicOf(db, DEMO_SLUG)).id;
  who.admin = (await userByEmail(db, "admin@demo.test")).id;
  who.otherAdmin = (await userByEmail(db, "admin@second.test")).id;
  who.staff = (await userByEmail(db, "staff@demo.test")).id;
  who.patient = (await userByEmail(db, "patient@demo.test")).id;
  who.platform = (await userByEmail(db, "platform@demo.test")).id;
});
afterAll(() => handle.drop());

const admin = () => callerAs(db, who.admin);
const platform = () => callerAs(db, who.platform);
const nowSeconds = () => Math.floor(Date.now() / 1000);
const stripeHeader = (body: string, secret: string, timestamp = nowSeconds()) => Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp });
const stripeBody = () => JSON.stringify({ id: `evt_${crypto.randomUUID().replace(/-/g, "")}`, object: "event", type: "customer.created", data: { object: { id: "cus_1" } } });
const typeformHeader = (body: string, secret: string) => `sha256=${createHmac("sha256", secret).update(body).digest("base64")}`;

async function stripeEndpoint() {
  return admin().integrations.createInbound({ provider: "stripe" });
}

const storedFor = (endpointId: string) => db.$count(inboundEvents, eq(inboundEvents.endpointId, endpointId));
const auditedFor = async (targetId: string) => (await db.select({ action: auditLog.action, actorId: auditLog.actorId }).from(auditLog).where(eq(auditLog.targetId, targetId))).map((a) => a.action);

/** A Typeform form_response whose answers are the referral's fields, by ref `ref_<field>`. */
function typeformResponse(input: Record<string, unknown>) {
  const answers = Object.entries(input)
    .filter(([k]) => k !== "idempotencyKey" && k !== "nickname")
    .map(([k, v]) => (typeof v === "boolean" ? { type: "boolean", boolean: v, field: { ref: `ref_${k}` } } : { type: "text", text: v, field: { ref: `ref_${k}` } }));
  return JSON.stringify({ event_id: `01H${crypto.randomUUID()}`, event_type: "form_response", form_response: { form_id: "F1", token: crypto.randomUUID(), answers } });
}
const typeformMapping = () => Object.fromEntries(Object.keys(practiceReferralInput()).filter((k) => k !== "idempotencyKey" && k !== "nickname").map((k) => [`ref_${k}`, k]));

describe("issue 19 item 3: partner-program intake from form tools is the platform's alone", () => {
  it("a clinic admin cannot create a Typeform endpoint, with a message that says why; the platform can", async () => {
    const error = await admin()
      .integrations.createInbound({ provider: "typeform", fieldMapping: { ref_practiceName: "practiceName" } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect(error).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/partner program.*platform/i) });
    expect(await db.$count(inboundEndpoints, and(eq(inboundEndpoints.clinicId, who.clinicId), eq(inboundEndpoints.provider, "typeform")))).toBe(0);
    await expect(platform().platformIntegrations.createInbound({ provider: "typeform", fieldMapping: typeformMapping() })).resolves.toMatchObject({ signingSecret: expect.any(String) });
  });

  it("a clinic's Typeform endpoint made before the fix writes no partner referral, even if it is still live", async () => {
    const secret = "an-old-clinic-typeform-secret";
    const [endpoint] = await db
      .insert(inboundEndpoints)
      .values({ clinicId: who.clinicId, provider: "typeform", signingSecretSealed: sealSigningSecret(secret), fieldMapping: typeformMapping() })
      .returning();
    const body = typeformResponse(practiceReferralInput());
    expect(await receiveInbound({ db }, { provider: "typeform", endpointId: endpoint?.id ?? "", body, signature: typeformHeader(body, secret) })).toMatchObject({ kind: "accepted" });
    const before = await db.$count(b2bReferrals);
    const [event] = await db.select().from(inboundEvents).where(eq(inboundEvents.endpointId, endpoint?.id ?? ""));
    await processInboundEvent({ db }, { inboundEventId: event?.id ?? "" });
    const [after] = await db.select().from(inboundEvents).where(eq(inboundEvents.id, event?.id ?? ""));
    expect(after).toMatchObject({ status: "failed", outcome: expect.stringMatching(/platform/i) });
    expect(await db.$count(b2bReferrals)).toBe(before);
  });
});

describe("issue 19 item 3: refused signatures are limited per network and per endpoint, apart from verified deliveries", () => {
  itConcurrently("a forged-signature flood from one network gets 429 after 60 a minute, counted atomically; the provider's signed deliveries still pass", async () => {
    const { id, signingSecret } = await stripeEndpoint();
    const forged = (network: string | null) => {
      const body = stripeBody();
      return receiveInbound({ db }, { provider: "stripe", endpointId: id, body, signature: stripeHeader(body, "whsec_guessed"), networkHash: network });
    };
    // 100 at once: exactly 60 are answered "bad signature", the other 40 "too many".
    const flood = await Promise.all(Array.from({ length: 100 }, () => forged("net-attacker")));
    expect(flood.filter((o) => o.kind === "refused")).toHaveLength(60);
    const limited = flood.filter((o) => o.kind === "limited");
    expect(limited).toHaveLength(40);
    expect(limited[0]).toMatchObject({ retryAfterSeconds: expect.any(Number) });
    // The provider, from its own network and even from the attacker's, is never limited.
    const signed = await Promise.all(
      Array.from({ length: 80 }, (_, i) => {
        const body = stripeBody();
        return receiveInbound({ db }, { provider: "stripe", endpointId: id, body, signature: stripeHeader(body, signingSecret), networkHash: i % 2 ? "net-stripe" : "net-attacker" });
      }),
    );
    expect(signed.every((o) => o.kind === "accepted")).toBe(true);
    expect(await storedFor(id)).toBe(80);
    // The flood stored nothing; the endpoint's count says how many were refused before the limit.
    const [endpoint] = await db.select().from(inboundEndpoints).where(eq(inboundEndpoints.id, id));
    expect(endpoint?.badSignatures).toBe(60);
  });

  itConcurrently("junk from many networks is limited per endpoint, and other endpoints are untouched", async () => {
    const { id, signingSecret } = await stripeEndpoint();
    const other = await stripeEndpoint();
    const outcomes = await Promise.all(
      Array.from({ length: 90 }, (_, i) => {
        const body = stripeBody();
        return receiveInbound({ db }, { provider: "stripe", endpointId: id, body, signature: stripeHeader(body, "whsec_guessed"), networkHash: `net-${i}` });
      }),
    );
    expect(outcomes.filter((o) => o.kind === "refused")).toHaveLength(60);
    expect(outcomes.filter((o) => o.kind === "limited")).toHaveLength(30);
    const body = stripeBody();
    expect(await receiveInbound({ db }, { provider: "stripe", endpointId: id, body, signature: stripeHeader(body, signingSecret), networkHash: "net-1" })).toMatchObject({ kind: "accepted" });
    const junk = stripeBody();
    expect(await receiveInbound({ db }, { provider: "stripe", endpointId: other.id, body: junk, signature: stripeHeader(junk, "whsec_guessed"), networkHash: "net-elsewhere" })).toMatchObject({ kind: "refused" });
  });

  it("a new minute starts a new window", async () => {
    const { id } = await stripeEndpoint();
    const at = Math.floor(Date.parse("2031-05-05T10:00:10Z") / 1000);
    const send = (seconds: number) => {
      const body = stripeBody();
      return receiveInbound({ db }, { provider: "stripe", endpointId: id, body, signature: stripeHeader(body, "whsec_guessed", seconds), networkHash: "net-window", nowSeconds: seconds });
    };
    for (let i = 0; i < 60; i++) await send(at);
    expect(await send(at + 30)).toMatchObject({ kind: "limited" });
    expect(await send(at + 60)).toMatchObject({ kind: "refused" });
  });
});

describe("issue 19 item 3: a name typed by the public carries no link", () => {
  const LINKS = ["https://evil.example/claim", "HTTP://evil.example", "javascript:alert(1)", "Visit www.evil.example", "Click evil-clinic.com now", "bit.ly/abc", "ｗｗｗ．evil．com", "data:text/html,hi"];
  const FIELDS = ["practiceName", "contactName", "referrerName", "referrerOrganization"] as const;

  it.each(FIELDS.flatMap((field) => LINKS.map((value) => [field, value] as const)))("the public form refuses %s = %j with a clear message and stores nothing", async (field, value) => {
    const before = await db.$count(b2bReferrals);
    const error = await callerAs(db, null, {}, { ipHash: `198.51.100.${FIELDS.indexOf(field)}`, deviceHash: null })
      .partner.submit(practiceReferralInput({ [field]: value }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    const issue = (error as TRPCError).cause instanceof ZodError ? ((error as TRPCError).cause as ZodError).issues[0] : undefined;
    expect(issue?.path).toEqual([field]);
    expect(issue?.message).toMatch(/web address or link/);
    expect(await db.$count(b2bReferrals)).toBe(before);
  });

  it.each(["Dr. Priya Shah", "St. Mary's Dental Care", "Smith & Jones, D.D.S.", "J.R. O'Neil", "Clinic No. 5: Downtown", "Zoë Ñúñez-García"])("accepts the ordinary name %j", async (name) => {
    await expect(submitPractice(db, { practiceName: `${name} ${crypto.randomUUID().slice(0, 6)}`, contactName: name, referrerName: name })).resolves.toBeTruthy();
  });

  it("a Typeform response with a link in the practice's name fails with the reason and writes no referral", async () => {
    const { id, signingSecret } = await platform().platformIntegrations.createInbound({ provider: "typeform", fieldMapping: typeformMapping() });
    const body = typeformResponse(practiceReferralInput({ practiceName: "Claim your prize at https://evil.example" }));
    await receiveInbound({ db }, { provider: "typeform", endpointId: id, body, signature: typeformHeader(body, signingSecret) });
    const before = await db.$count(b2bReferrals);
    const [event] = await db.select().from(inboundEvents).where(eq(inboundEvents.endpointId, id));
    await processInboundEvent({ db }, { inboundEventId: event?.id ?? "" });
    const [after] = await db.select().from(inboundEvents).where(eq(inboundEvents.id, event?.id ?? ""));
    expect(after).toMatchObject({ status: "failed", outcome: expect.stringMatching(/practiceName: .*web address or link/) });
    expect(await db.$count(b2bReferrals)).toBe(before);
  });

  it("names the public typed never appear in a subject line: confirmation, status change, the platform's notice", async () => {
    const practiceName = `Subjectless Dental ${crypto.randomUUID().slice(0, 8)}`;
    const referrerName = "Robin Subjectless";
    const { referral } = await submitPractice(db, { practiceName, referrerName });
    const [created] = await db.select({ id: domainEvents.id }).from(domainEvents).where(and(eq(domainEvents.type, "b2b.submission.created"), sql`${domainEvents.data}->>'referralId' = ${referral.id}`));
    await composeForEvent({ db, actor: systemActor("messages.events"), clinicId: null }, { eventId: created?.id ?? "" });
    const actor = staffActor(who.platform, null);
    await startReview({ db, actor, clinicId: null }, { referralId: referral.id });
    await acceptReferral({ db, actor, clinicId: null }, { referralId: referral.id });
    const messages = await db.select({ kind: outboxMessages.kind, subject: outboxMessages.subject, body: outboxMessages.body }).from(outboxMessages).where(like(outboxMessages.body, `%${practiceName}%`));
    expect(messages.map((m) => m.kind)).toEqual(expect.arrayContaining(["b2b_confirmation", "b2b_status_accepted", "platform.practice_referral"]));
    for (const m of messages) {
      expect(m.subject).not.toContain(practiceName);
      expect(m.subject).not.toContain(referrerName);
    }
  });
});

describe("issue 19 item 4: inbound endpoints can be switched off", () => {
  it("a paused endpoint answers as unknown (404) and stores nothing, not even a count; resuming brings it back; both audited", async () => {
    const { id, signingSecret } = await stripeEndpoint();
    const paused = await admin().integrations.pauseInbound({ endpointId: id, paused: true });
    expect(paused).toMatchObject({ id, pausedAt: expect.any(Date) });
    const body = stripeBody();
    expect(await receiveInbound({ db }, { provider: "stripe", endpointId: id, body, signature: stripeHeader(body, signingSecret) })).toEqual({ kind: "unknown" });
    expect(await receiveInbound({ db }, { provider: "stripe", endpointId: id, body, signature: "t=1,v1=00" })).toEqual({ kind: "unknown" });
    expect(await storedFor(id)).toBe(0);
    const [row] = await db.select().from(inboundEndpoints).where(eq(inboundEndpoints.id, id));
    expect(row?.badSignatures).toBe(0);
    // Still listed, marked paused.
    expect((await admin().integrations.inboundEndpoints()).find((e) => e.id === id)).toMatchObject({ pausedAt: expect.any(Date) });
    expect(await admin().integrations.pauseInbound({ endpointId: id, paused: false })).toMatchObject({ id, pausedAt: null });
    expect(await receiveInbound({ db }, { provider: "stripe", endpointId: id, body, signature: stripeHeader(body, signingSecret) })).toMatchObject({ kind: "accepted" });
    expect(await auditedFor(id)).toEqual(expect.arrayContaining(["inbound.pause", "inbound.resume"]));
  });

  it("rotation: the old secret verifies for 24 hours and not after; a generated secret is answered once; audited", async () => {
    const { id, signingSecret: old } = await stripeEndpoint();
    const rotated = await admin().integrations.rotateInboundSecret({ endpointId: id });
    expect(rotated.signingSecret).toMatch(/^whsec_/);
    expect(rotated.signingSecret).not.toBe(old);
    const start = Math.floor(rotated.previousExpiresAt.getTime() / 1000) - 24 * 3600;
    expect(Math.abs(start - nowSeconds())).toBeLessThan(60);
    const post = (secret: string, at: number) => {
      const body = stripeBody();
      return receiveInbound({ db }, { provider: "stripe", endpointId: id, body, signature: stripeHeader(body, secret, at), nowSeconds: at });
    };
    expect(await post(old, start + 23 * 3600)).toMatchObject({ kind: "accepted" });
    expect(await post(rotated.signingSecret, start + 23 * 3600)).toMatchObject({ kind: "accepted" });
    expect(await post(old, start + 25 * 3600)).toMatchObject({ kind: "refused" });
    expect(await post(rotated.signingSecret, start + 25 * 3600)).toMatchObject({ kind: "accepted" });
    // The previous secret is sealed at rest like the current one.
    const [row] = await db.select().from(inboundEndpoints).where(eq(inboundEndpoints.id, id));
    expect(row?.previousSecretSealed).toBeTruthy();
    expect(row?.previousSecretSealed).not.toContain(old);
    expect(await auditedFor(id)).toContain("inbound.rotate_secret");
    const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.targetId, id), eq(auditLog.action, "inbound.rotate_secret")));
    expect(JSON.stringify(audit)).not.toContain(rotated.signingSecret);
  });

  it("rotation takes a secret pasted from the provider (Calendly), which then verifies", async () => {
    const { id } = await admin().integrations.createInbound({ provider: "calendly" });
    const pasted = "calendly-signing-key-pasted-from-its-dashboard";
    expect(await admin().integrations.rotateInboundSecret({ endpointId: id, signingSecret: pasted })).toMatchObject({ id, signingSecret: pasted });
    const body = JSON.stringify({ event: "invitee.created", payload: { uri: `https://api.calendly.com/scheduled_events/E/invitees/${crypto.randomUUID()}`, email: "nobody@example.com" } });
    const t = nowSeconds();
    const signature = `t=${t},v1=${createHmac("sha256", pasted).update(`${t}.${body}`).digest("hex")}`;
    expect(await receiveInbound({ db }, { provider: "calendly", endpointId: id, body, signature })).toMatchObject({ kind: "accepted" });
    await expect(admin().integrations.rotateInboundSecret({ endpointId: id, signingSecret: "short" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("a deleted endpoint answers as unknown (404), leaves the list, can't be touched again, and is audited", async () => {
    const { id, signingSecret } = await stripeEndpoint();
    expect(await admin().integrations.deleteInbound({ endpointId: id })).toEqual({ id });
    const body = stripeBody();
    expect(await receiveInbound({ db }, { provider: "stripe", endpointId: id, body, signature: stripeHeader(body, signingSecret) })).toEqual({ kind: "unknown" });
    expect(await storedFor(id)).toBe(0);
    expect((await admin().integrations.inboundEndpoints()).map((e) => e.id)).not.toContain(id);
    await expect(admin().integrations.deleteInbound({ endpointId: id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(admin().integrations.pauseInbound({ endpointId: id, paused: false })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(admin().integrations.rotateInboundSecret({ endpointId: id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await auditedFor(id)).toContain("inbound.delete");
  });

  it("the platform has the same three for its own endpoints", async () => {
    const { id } = await platform().platformIntegrations.createInbound({ provider: "typeform", fieldMapping: typeformMapping() });
    await expect(platform().platformIntegrations.pauseInbound({ endpointId: id, paused: true })).resolves.toMatchObject({ pausedAt: expect.any(Date) });
    await expect(platform().platformIntegrations.rotateInboundSecret({ endpointId: id })).resolves.toMatchObject({ id });
    await expect(platform().platformIntegrations.deleteInbound({ endpointId: id })).resolves.toEqual({ id });
    const actions = await db.select({ action: auditLog.action, actorId: auditLog.actorId, clinicId: auditLog.clinicId }).from(auditLog).where(eq(auditLog.targetId, id));
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(["inbound.pause", "inbound.rotate_secret", "inbound.delete"]));
    expect(actions.every((a) => a.actorId === who.platform && a.clinicId === null)).toBe(true);
  });

  it("another clinic's admin gets NOT_FOUND; staff, a patient and anonymous are refused; the platform and a clinic can't reach each other's", async () => {
    const { id } = await stripeEndpoint();
    const platformOwn = await platform().platformIntegrations.createInbound({ provider: "typeform", fieldMapping: typeformMapping() });
    const calls = (caller: ReturnType<typeof callerAs>["integrations"], endpointId: string) => [
      () => caller.pauseInbound({ endpointId, paused: true }),
      () => caller.rotateInboundSecret({ endpointId }),
      () => caller.deleteInbound({ endpointId }),
    ];
    for (const call of calls(callerAs(db, who.otherAdmin).integrations, id)) await expect(call()).rejects.toMatchObject({ code: "NOT_FOUND" });
    for (const call of calls(callerAs(db, who.staff).integrations, id)) await expect(call()).rejects.toMatchObject({ code: "FORBIDDEN" });
    for (const call of calls(callerAs(db, who.patient).integrations, id)) await expect(call()).rejects.toMatchObject({ code: "FORBIDDEN" });
    for (const call of calls(callerAs(db, null).integrations, id)) await expect(call()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    for (const call of calls(callerAs(db, null).platformIntegrations as never, id)) await expect(call()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    for (const call of calls(platform().platformIntegrations as never, id)) await expect(call()).rejects.toMatchObject({ code: "NOT_FOUND" });
    for (const call of calls(admin().integrations, platformOwn.id)) await expect(call()).rejects.toMatchObject({ code: "NOT_FOUND" });
    // Nothing changed, and nothing was audited but the two creations.
    const [row] = await db.select().from(inboundEndpoints).where(eq(inboundEndpoints.id, id));
    expect(row).toMatchObject({ pausedAt: null, deletedAt: null, previousSecretSealed: null });
    expect(await auditedFor(id)).toEqual(["inbound.create"]);
    expect(await auditedFor(platformOwn.id)).toEqual(["inbound.create"]);
  });
});
