import { and, eq, sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { queryRows, type Db } from "@/db/client";
import { auditLog, domainEvents, outboxMessages, referrals, users, webhookAttempts, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { staffActor, systemActor } from "@/server/events/actor";
import { emit, type EmittedEvent } from "@/server/events/emit";
import { startWorkers, type Workers } from "@/server/jobs/worker";
import { TestPaymentProvider } from "@/server/services/orders/payment-provider";
import { createTestDb, itConcurrently } from "@/server/testing/db";
import { callerAs, clinicOf, codeOf, DEMO_SLUG, SECOND_SLUG, signUpPatient, userByEmail } from "@/server/testing/fixtures";
import { startReceiver } from "@/server/testing/receiver";
import { submitPractice } from "@/server/testing/b2b";
import { composeForEvent } from "@/server/services/messages/compose";
import { attemptDelivery, DISABLE_AFTER_FAILURES, fanOutEvent, RETRY_DELAYS_SECONDS } from "./deliveries";
import { createEndpoint, resendDelivery, rotateEndpointSecret, sendTestEvent, setEndpointPaused } from "./endpoints";
import { checkTarget } from "./ssrf";

// The outside check's setting: a loopback receiver is allowed by name (rule A4's allow-list).
vi.hoisted(() => {
  process.env.WEBHOOK_ALLOW_HOSTS = "127.0.0.1";
});

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const ctx = { clinicId: "", otherClinicId: "", adminId: "", otherAdminId: "", platformId: "", patientId: "", referralId: "", refereeId: "" };
const allowLoopback = { allowHosts: ["127.0.0.1"] };

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  receiver = await startReceiver();
  ctx.clinicId = (await clinicOf(db, DEMO_SLUG)).id;
  ctx.otherClinicId = (await clinicOf(db, SECOND_SLUG)).id;
  ctx.adminId = (await userByEmail(db, "admin@demo.test")).id;
  ctx.otherAdminId = (await userByEmail(db, "admin@second.test")).id;
  ctx.platformId = (await userByEmail(db, "platform@demo.test")).id;
  ctx.patientId = (await userByEmail(db, "patient@demo.test")).id;
  // A real referral of the demo patient, which the synthetic events below name (the activity log's rows point at it).
  const friend = await signUpPatient(db, { code: await codeOf(db, ctx.patientId) });
  const [made] = await db.select({ id: referrals.id }).from(referrals).where(eq(referrals.refereeId, friend.userId));
  ctx.referralId = made?.id ?? "";
  ctx.refereeId = friend.userId;
});
afterAll(async () => {
  await receiver.close();
  await handle.drop();
});

const admin = () => staffActor(ctx.adminId, ctx.clinicId);
/** The services' context: the demo clinic's admin, or the webhook jobs (as the worker runs them). */
const asAdmin = () => ({ db, actor: admin(), clinicId: ctx.clinicId });
const asJob = () => ({ db, actor: systemActor("webhooks"), clinicId: null });

/** An endpoint on the local receiver, at a path of its own so each test reads only what reached it. */
async function endpoint(overrides: Partial<{ events: string[]; mayReceiveContactDetails: boolean }> = {}) {
  const path = `/hook/${crypto.randomUUID()}`;
  const created = await createEndpoint(asAdmin(), {
    url: receiver.url(path),
    events: ["*"],
    description: "CRM",
    mayReceiveContactDetails: false,
    ...allowLoopback,
    ...overrides,
  });
  return { ...created, path, arrived: () => receiver.received.filter((r) => r.path === path) };
}

async function emitEvent(event: EmittedEvent) {
  return db.transaction((tx) => emit(tx, systemActor("test", event.clinicId), event));
}

const qualified = (clinicId: string, patientId: string): EmittedEvent => ({
  type: "referral.qualified",
  clinicId,
  data: { referralId: ctx.referralId, referrerId: patientId, refereeId: ctx.refereeId, qualifyingEvent: "first_paid_order", orderId: null },
});

async function deliveriesOf(endpointId: string) {
  return db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId));
}

async function queuedAttempts(deliveryId: string) {
  return queryRows<{ attempt: number; startAfter: Date }>(
    db,
    sql`select (data->>'attempt')::int as attempt, start_after as "startAfter" from pgboss.job where name = 'webhooks.deliver' and data->>'deliveryId' = ${deliveryId} order by 1`,
  );
}

/** Fans one event out and runs the first attempt of each of its deliveries, as the workers would. */
async function deliverNow(eventId: string, options = {}) {
  await fanOutEvent(asJob(), { eventId });
  const rows = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.eventId, eventId));
  return Promise.all(rows.map((row) => attemptDelivery(asJob(), { deliveryId: row.id, attempt: 0, resend: false, ...allowLoopback, ...options })));
}

describe("rule A4: signed deliveries", () => {
  it("A4: a delivery verifies with the standardwebhooks library and carries {type, timestamp, data} from the event catalog", async () => {
    const { id, secret, arrived } = await endpoint();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    const eventId = await emitEvent(qualified(ctx.clinicId, ctx.patientId));
    const outcomes = await deliverNow(eventId);
    expect(outcomes).toContainEqual(expect.objectContaining({ sent: true, succeeded: true, statusCode: 200 }));
    const [request] = arrived();
    if (!request) throw new Error("nothing arrived");
    expect(request.headers["webhook-id"]).toMatch(/^msg_/);
    expect(request.headers["webhook-signature"]).toMatch(/^v1,/);
    const verified = new Webhook(secret).verify(request.body, request.headers as Record<string, string>) as { type: string; timestamp: string; data: Record<string, unknown> };
    const [event] = await db.select().from(domainEvents).where(eq(domainEvents.id, eventId));
    expect(verified.type).toBe("referral.qualified");
    expect(verified.timestamp).toBe(event?.createdAt.toISOString());
    expect(verified.data).toMatchObject(event?.data ?? {});
    // A tampered body does not verify.
    expect(() => new Webhook(secret).verify(request.body.replace("referral", "reward"), request.headers as Record<string, string>)).toThrow();
    const [delivery] = await deliveriesOf(id);
    expect(delivery).toMatchObject({ status: "succeeded", attempts: 1, lastStatusCode: 200, lastResponseExcerpt: "ok" });
    expect(await db.select().from(webhookAttempts).where(eq(webhookAttempts.deliveryId, delivery?.id ?? ""))).toHaveLength(1);
  });

  it("A4: a captured delivery replayed after the tolerance is refused by the receiver library", async () => {
    const { secret, arrived } = await endpoint({ events: ["order.paid"] });
    const eventId = await emitEvent({ type: "order.paid", clinicId: ctx.clinicId, data: { orderId: crypto.randomUUID(), patientId: ctx.patientId, totalCents: 5000, creditCents: 0, paidCents: 5000 } });
    await deliverNow(eventId);
    const [captured] = arrived();
    if (!captured) throw new Error("nothing arrived");
    const headers = captured.headers as Record<string, string>;
    expect(() => new Webhook(secret).verify(captured.body, headers)).not.toThrow();
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 6 * 60 * 1000);
      expect(() => new Webhook(secret).verify(captured.body, headers)).toThrow(/timestamp too old/i);
    } finally {
      vi.useRealTimers();
    }
  });

  it("A4: the secret is stored sealed, never as itself", async () => {
    const { id, secret } = await endpoint();
    const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
    expect(row?.secretSealed).toMatch(/^v1\./);
    expect(row?.secretSealed).not.toContain(secret.slice(6));
  });

  it("A4: after a rotation the old and the new secret both sign for 24 hours, then only the new one", async () => {
    const { id, secret: old, arrived } = await endpoint();
    const rotatedAt = new Date();
    const { secret: fresh } = await rotateEndpointSecret(asAdmin(), { endpointId: id, now: rotatedAt });
    const { deliveryId } = await sendTestEvent(asAdmin(), { endpointId: id });
    await attemptDelivery(asJob(), { deliveryId, attempt: 0, resend: false, ...allowLoopback });
    const [during] = arrived();
    if (!during) throw new Error("nothing arrived");
    expect(String(during.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    for (const secret of [old, fresh]) expect(() => new Webhook(secret).verify(during.body, during.headers as Record<string, string>)).not.toThrow();

    const second = await sendTestEvent(asAdmin(), { endpointId: id });
    const after = new Date(rotatedAt.getTime() + 24 * 3600 * 1000 + 1000);
    await attemptDelivery(asJob(), { deliveryId: second.deliveryId, attempt: 0, resend: false, ...allowLoopback, now: () => after });
    const later = arrived()[1];
    expect(String(later?.headers["webhook-signature"]).split(" ")).toHaveLength(1);
  });

  it("A4: a resend from the delivery log arrives with the same webhook-id", async () => {
    const { id, arrived } = await endpoint();
    const eventId = await emitEvent(qualified(ctx.clinicId, ctx.patientId));
    await deliverNow(eventId);
    const [delivery] = await deliveriesOf(id);
    const caller = callerAs(db, ctx.adminId);
    const resent = await caller.integrations.resendDelivery({ deliveryId: delivery?.id ?? "" });
    const [job] = (await queuedAttempts(resent.deliveryId)).filter((j) => j.attempt === 1);
    expect(job).toBeDefined();
    await attemptDelivery(asJob(), { deliveryId: resent.deliveryId, attempt: 1, resend: true, ...allowLoopback });
    const [first, again] = arrived();
    expect(again?.headers["webhook-id"]).toBe(first?.headers["webhook-id"]);
    expect(again?.headers["webhook-id"]).toBe(resent.messageId);
    const log = await caller.integrations.webhook({ endpointId: id });
    expect(log.deliveries[0]).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(await caller.integrations.deliveryAttempts({ deliveryId: resent.deliveryId })).toHaveLength(2);
  });

  it("A4: each event is delivered once per endpoint however often the fan-out runs, and only to endpoints that want its type", async () => {
    const wantsAll = await endpoint();
    const wantsOther = await endpoint({ events: ["order.refunded"] });
    const eventId = await emitEvent(qualified(ctx.clinicId, ctx.patientId));
    await fanOutEvent(asJob(), { eventId });
    await fanOutEvent(asJob(), { eventId });
    expect((await deliveriesOf(wantsAll.id)).filter((d) => d.eventId === eventId)).toHaveLength(1);
    expect((await deliveriesOf(wantsOther.id)).filter((d) => d.eventId === eventId)).toHaveLength(0);
  });

  itConcurrently("A4: two workers racing on one attempt record it once", async () => {
    const { id } = await endpoint();
    const { deliveryId } = await sendTestEvent(asAdmin(), { endpointId: id });
    await Promise.all([0, 1, 2].map(() => attemptDelivery(asJob(), { deliveryId, attempt: 0, resend: false, ...allowLoopback })));
    expect(await db.select().from(webhookAttempts).where(eq(webhookAttempts.deliveryId, deliveryId))).toHaveLength(1);
    const [delivery] = await deliveriesOf(id);
    expect(delivery?.attempts).toBe(1);
  });
});

describe("rule A4: failures, retries and disabling", () => {
  it("A4: a failing endpoint is retried at 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then the delivery fails", async () => {
    receiver.answerWith({ status: 500, body: "boom" });
    try {
      const { id } = await endpoint();
      const { deliveryId } = await sendTestEvent(asAdmin(), { endpointId: id });
      let now = new Date("2026-03-01T09:00:00Z");
      const waits: number[] = [];
      for (let attempt = 0; attempt <= RETRY_DELAYS_SECONDS.length; attempt++) {
        const at = now;
        const outcome = await attemptDelivery(asJob(), { deliveryId, attempt, resend: false, ...allowLoopback, now: () => at });
        expect(outcome).toMatchObject({ sent: true, succeeded: false, statusCode: 500 });
        if (!outcome.nextAttemptAt) break;
        waits.push((outcome.nextAttemptAt.getTime() - at.getTime()) / 1000);
        // The next attempt is queued to start then (pg-boss startAfter).
        const queued = (await queuedAttempts(deliveryId)).find((j) => j.attempt === attempt + 1);
        expect(new Date(queued?.startAfter ?? 0).getTime()).toBe(outcome.nextAttemptAt.getTime());
        now = outcome.nextAttemptAt;
      }
      expect(waits).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000]);
      const [delivery] = await deliveriesOf(id);
      expect(delivery).toMatchObject({ status: "failed", attempts: 8, lastStatusCode: 500, lastResponseExcerpt: "boom", nextAttemptAt: null });
    } finally {
      receiver.answerWith({ status: 200, body: "ok" });
    }
  });

  it("A4: a redirect is a failure and is not followed", async () => {
    receiver.answerWith({ status: 302, headers: { location: receiver.url("/elsewhere") } });
    try {
      const { id, path, arrived } = await endpoint();
      const { deliveryId } = await sendTestEvent(asAdmin(), { endpointId: id });
      const outcome = await attemptDelivery(asJob(), { deliveryId, attempt: 0, resend: false, ...allowLoopback });
      expect(outcome).toMatchObject({ succeeded: false, statusCode: 302 });
      expect(arrived().map((r) => r.path)).toEqual([path]);
      expect(receiver.received.some((r) => r.path === "/elsewhere")).toBe(false);
    } finally {
      receiver.answerWith({ status: 200, body: "ok" });
    }
  });

  it("A4: no answer within the timeout is a failed attempt", async () => {
    receiver.answerWith("hang");
    try {
      const { id } = await endpoint();
      const { deliveryId } = await sendTestEvent(asAdmin(), { endpointId: id });
      const outcome = await attemptDelivery(asJob(), { deliveryId, attempt: 0, resend: false, ...allowLoopback, timeoutMs: 300 });
      expect(outcome).toMatchObject({ sent: true, succeeded: false, statusCode: null });
      const [delivery] = await deliveriesOf(id);
      expect(delivery?.lastError).toMatch(/no answer/);
    } finally {
      receiver.answerWith({ status: 200, body: "ok" });
    }
  });

  it("A4: 410 Gone disables the endpoint at once, with no retry, and says so as an event", async () => {
    receiver.answerWith({ status: 410 });
    try {
      const { id } = await endpoint();
      const { deliveryId } = await sendTestEvent(asAdmin(), { endpointId: id });
      const outcome = await attemptDelivery(asJob(), { deliveryId, attempt: 0, resend: false, ...allowLoopback });
      expect(outcome).toMatchObject({ nextAttemptAt: null, endpointDisabled: "gone" });
      const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
      expect(row).toMatchObject({ status: "disabled", disabledReason: "gone" });
      const events = await db.select().from(domainEvents).where(and(eq(domainEvents.type, "webhook.disabled"), sql`${domainEvents.data}->>'endpointId' = ${id}`));
      expect(events).toHaveLength(1);
      // The clinic's admins are emailed (rule A4); staff who are not admins are not.
      await composeForEvent({ db, actor: systemActor("messages.events"), clinicId: null }, { eventId: events[0]?.id ?? "" });
      const told = await db.select({ to: outboxMessages.to }).from(outboxMessages).where(and(eq(outboxMessages.kind, "admin.webhook_disabled"), eq(outboxMessages.eventId, events[0]?.id ?? "")));
      expect(told.map((m) => m.to)).toEqual(["admin@demo.test"]);
      // Nothing more goes to it until an admin resumes it.
      const eventId = await emitEvent(qualified(ctx.clinicId, ctx.patientId));
      await fanOutEvent(asJob(), { eventId });
      expect((await deliveriesOf(id)).filter((d) => d.eventId === eventId)).toHaveLength(0);
    } finally {
      receiver.answerWith({ status: 200, body: "ok" });
    }
  });

  it("A4: 20 failed attempts in a row disable the endpoint; a success in between resets the count", async () => {
    receiver.answerWith({ status: 503 });
    try {
      const { id } = await endpoint();
      const fail = async () => {
        const { deliveryId } = await sendTestEvent(asAdmin(), { endpointId: id });
        return attemptDelivery(asJob(), { deliveryId, attempt: 0, resend: false, ...allowLoopback });
      };
      for (let i = 0; i < DISABLE_AFTER_FAILURES - 1; i++) await fail();
      receiver.answerWith({ status: 204 });
      await fail();
      let [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
      expect(row).toMatchObject({ status: "active", consecutiveFailures: 0 });
      receiver.answerWith({ status: 503 });
      const outcomes = [];
      for (let i = 0; i < DISABLE_AFTER_FAILURES; i++) outcomes.push(await fail());
      expect(outcomes.at(-1)?.endpointDisabled).toBe("failing");
      expect(outcomes.slice(0, -1).every((o) => o.endpointDisabled === null)).toBe(true);
      [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
      expect(row).toMatchObject({ status: "disabled", disabledReason: "failing" });
      // Resuming re-enables it with a clean count.
      const resumed = await setEndpointPaused(asAdmin(), { endpointId: id, paused: false });
      expect(resumed).toMatchObject({ status: "active", consecutiveFailures: 0 });
    } finally {
      receiver.answerWith({ status: 200, body: "ok" });
    }
  });

  it("A4: a paused endpoint gets nothing new, and its pending delivery is not sent", async () => {
    const { id, arrived } = await endpoint();
    const { deliveryId } = await sendTestEvent(asAdmin(), { endpointId: id });
    await setEndpointPaused(asAdmin(), { endpointId: id, paused: true });
    expect(await attemptDelivery(asJob(), { deliveryId, attempt: 0, resend: false, ...allowLoopback })).toMatchObject({ sent: false });
    expect(arrived()).toHaveLength(0);
    const eventId = await emitEvent(qualified(ctx.clinicId, ctx.patientId));
    await fanOutEvent(asJob(), { eventId });
    expect((await deliveriesOf(id)).filter((d) => d.eventId === eventId)).toHaveLength(0);
  });
});

describe("rule A4: SSRF guard", () => {
  const none: string[] = [];
  for (const url of ["https://127.0.0.1/hook", "https://10.0.0.1/hook", "https://169.254.169.254/latest/meta-data", "https://100.64.0.1/", "https://192.168.1.1/", "https://[::1]/", "https://[::ffff:127.0.0.1]/", "https://[fd00:ec2::254]/"]) {
    it(`A4: refuses ${url} without the allow-list`, async () => {
      await expect(checkTarget(url, none)).rejects.toThrow(/private, loopback, link-local/);
    });
  }

  it("A4: refuses a host name that resolves to 127.0.0.1 (localhost) without the allow-list", async () => {
    await expect(checkTarget("https://localhost/hook", none)).rejects.toThrow(/private, loopback/);
    await expect(checkTarget("https://rebind.example/hook", none, async () => [{ address: "93.184.215.14", family: 4 }, { address: "127.0.0.1", family: 4 }])).rejects.toThrow(/private, loopback/);
  });

  it("A4: plain http only to an allow-listed host", async () => {
    await expect(checkTarget("http://hooks.example.com/x", none, async () => [{ address: "93.184.215.14", family: 4 }])).rejects.toThrow(/https/);
    await expect(checkTarget(receiver.url(), ["127.0.0.1"])).resolves.toMatchObject({ address: "127.0.0.1" });
  });

  it("A4: registration through the console is refused with a specific message and stores nothing", async () => {
    const caller = callerAs(db, ctx.adminId);
    const count = async () => db.$count(webhookEndpoints, eq(webhookEndpoints.clinicId, ctx.clinicId));
    const before = await count();
    for (const url of ["https://10.0.0.1/hook", "https://169.254.169.254/", "https://localhost/x", "ftp://example.com/"]) {
      await expect(caller.integrations.createWebhook({ url, events: ["*"] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    expect(await count()).toBe(before);
  });

  it("A4: a name that resolves elsewhere at send time (DNS rebinding) is refused then, and nothing is sent", async () => {
    let address = "93.184.215.14";
    const resolve = async () => [{ address, family: 4 }];
    const { id } = await createEndpoint(asAdmin(), { url: "https://rebind.example/hook", events: ["*"], description: "", mayReceiveContactDetails: false, resolve, allowHosts: [] });
    address = "127.0.0.1";
    const { deliveryId } = await sendTestEvent(asAdmin(), { endpointId: id });
    const outcome = await attemptDelivery(asJob(), { deliveryId, attempt: 0, resend: false, resolve, allowHosts: [] });
    expect(outcome).toMatchObject({ sent: true, succeeded: false, statusCode: null });
    const [delivery] = await deliveriesOf(id);
    expect(delivery?.lastError).toMatch(/not sent/);
  });

  it("A4: the connection goes to the checked address, with the URL's host kept in the Host header", async () => {
    const host = "receiver.clinic-crm.test";
    const resolve = async () => [{ address: "127.0.0.1", family: 4 }];
    const url = `http://${host}:${receiver.port}/pinned`;
    const { id } = await createEndpoint(asAdmin(), { url, events: ["*"], description: "", mayReceiveContactDetails: false, resolve, allowHosts: [host] });
    const { deliveryId } = await sendTestEvent(asAdmin(), { endpointId: id });
    await attemptDelivery(asJob(), { deliveryId, attempt: 0, resend: false, resolve, allowHosts: [host] });
    const request = receiver.received.find((r) => r.path === "/pinned");
    expect(request?.headers.host).toBe(`${host}:${receiver.port}`);
  });
});

describe("rule N3: least data in payloads", () => {
  it("N3: a patient goes out as a first name only, unless the endpoint may receive contact details (an audited choice)", async () => {
    const plain = await endpoint({ events: ["referral.qualified"] });
    const crm = await endpoint({ events: ["referral.qualified"], mayReceiveContactDetails: true });
    const eventId = await emitEvent(qualified(ctx.clinicId, ctx.patientId));
    await deliverNow(eventId);
    const personIn = (arrived: typeof plain.arrived) => {
      const [request] = arrived();
      return (JSON.parse(request?.body ?? "{}") as { data: { people: Record<string, Record<string, unknown>> } }).data.people[ctx.patientId];
    };
    const patient = await userByEmail(db, "patient@demo.test");
    expect(personIn(plain.arrived)).toEqual({ firstName: patient.firstName });
    expect(personIn(crm.arrived)).toEqual(expect.objectContaining({ firstName: patient.firstName, lastName: patient.lastName, email: patient.email }));
    const audits = await db.select().from(auditLog).where(and(eq(auditLog.action, "webhook.create"), eq(auditLog.targetId, crm.id)));
    expect(audits[0]?.after).toMatchObject({ mayReceiveContactDetails: true });
  });

  /** A Slack endpoint on the local receiver (hooks.slack.com resolved to it), and what reached it for one event. */
  async function slackPostOf(event: EmittedEvent) {
    const resolve = async () => [{ address: "127.0.0.1", family: 4 }];
    const slack = { resolve, allowHosts: ["hooks.slack.com"] };
    const path = `/services/T/B/${crypto.randomUUID()}`;
    const { id } = await createEndpoint(asAdmin(), { url: `http://hooks.slack.com:${receiver.port}${path}`, events: [event.type], description: "", mayReceiveContactDetails: false, ...slack });
    const eventId = await emitEvent(event);
    await fanOutEvent(asJob(), { eventId });
    const [delivery] = await deliveriesOf(id);
    await attemptDelivery(asJob(), { deliveryId: delivery?.id ?? "", attempt: 0, resend: false, ...slack });
    await setEndpointPaused(asAdmin(), { endpointId: id, paused: true });
    const raw = receiver.received.find((r) => r.path === path)?.body ?? "{}";
    return { raw, body: JSON.parse(raw) as { text: string; blocks: { type: string; text?: { text: string } }[] } };
  }

  it("A4, issue 19: Slack gets a Block Kit message with counts and a console link, never a patient's name unless the workspace is covered by a BAA", async () => {
    await db.update(users).set({ firstName: "Zebediah" }).where(eq(users.id, ctx.refereeId));
    const event = qualified(ctx.clinicId, ctx.patientId);
    const plain = await slackPostOf(event);
    expect(plain.body.blocks[0]?.type).toBe("section");
    expect(plain.body.text).toContain("A referral qualified");
    expect(plain.body.text).toMatch(/<http:\/\/[^|]+\/console\/referrals\|Open in the console>/);
    expect(plain.raw).not.toContain("Zebediah");
    expect(plain.raw).not.toContain((await userByEmail(db, "patient@demo.test")).firstName);

    const desk = callerAs(db, ctx.adminId).messages;
    expect(await desk.setSlackBaaCovered({ covered: true })).toMatchObject({ slackBaaCovered: true });
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.clinicId, ctx.clinicId), eq(auditLog.action, "messages.slack_baa")));
    expect(entry).toMatchObject({ actorId: ctx.adminId, before: { slackBaaCovered: false }, after: { slackBaaCovered: true } });
    const named = await slackPostOf(event);
    expect(named.body.text).toContain("Zebediah");
    expect(named.raw).not.toContain((await userByEmail(db, "patient@demo.test")).email);
    // A staff member cannot vouch for the workspace.
    await expect(callerAs(db, (await userByEmail(db, "staff@demo.test")).id).messages.setSlackBaaCovered({ covered: false })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await desk.setSlackBaaCovered({ covered: false });
  });

  it("issue 11: a first name that is Slack markup is escaped, so `<!channel>` pings nobody", async () => {
    await db.update(users).set({ firstName: "<!channel> & <https://evil.example|click>" }).where(eq(users.id, ctx.refereeId));
    await callerAs(db, ctx.adminId).messages.setSlackBaaCovered({ covered: true });
    const { body } = await slackPostOf(qualified(ctx.clinicId, ctx.patientId));
    await callerAs(db, ctx.adminId).messages.setSlackBaaCovered({ covered: false });
    expect(body.text).toContain("&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;'s referral");
    for (const text of [body.text, body.blocks[0]?.text?.text ?? ""]) {
      expect(text).not.toContain("<!channel>");
      expect(text).not.toContain("<https://evil.example");
    }
  });
});

describe("rule N1: tenancy of endpoints and deliveries", () => {
  it("N1: another clinic's admin can neither see nor touch the demo clinic's endpoints and deliveries", async () => {
    const { id } = await endpoint();
    const { deliveryId } = await sendTestEvent(asAdmin(), { endpointId: id });
    const other = callerAs(db, ctx.otherAdminId);
    expect((await other.integrations.webhooks()).map((e) => e.id)).not.toContain(id);
    for (const call of [
      () => other.integrations.webhook({ endpointId: id }),
      () => other.integrations.pauseWebhook({ endpointId: id, paused: true }),
      () => other.integrations.rotateWebhookSecret({ endpointId: id }),
      () => other.integrations.revealWebhookSecret({ endpointId: id }),
      () => other.integrations.deleteWebhook({ endpointId: id }),
      () => other.integrations.sendTestEvent({ endpointId: id }),
      () => other.integrations.updateWebhook({ endpointId: id, description: "mine now" }),
      () => other.integrations.deliveryAttempts({ deliveryId }),
      () => other.integrations.resendDelivery({ deliveryId }),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
    expect(row).toMatchObject({ status: "active", description: "CRM" });
  });

  it("N1: a clinic's events reach only its own endpoints; partner-program events only the platform's", async () => {
    const mine = await endpoint();
    const theirs = await createEndpoint({ db, actor: staffActor(ctx.otherAdminId, ctx.otherClinicId), clinicId: ctx.otherClinicId }, { url: receiver.url("/theirs"), events: ["*"], description: "", mayReceiveContactDetails: false, ...allowLoopback });
    const platform = await callerAs(db, ctx.platformId).platformIntegrations.createWebhook({ url: receiver.url("/platform"), events: ["b2b.submission.created"] });
    const clinicEvent = await emitEvent(qualified(ctx.clinicId, ctx.patientId));
    const { referral } = await submitPractice(db, { website: "n1-webhooks.example" });
    const platformEvent = await emitEvent({ type: "b2b.submission.created", clinicId: null, data: { referralId: referral.id, referrerId: referral.referrerId, status: "submitted", duplicateOf: null } });
    for (const eventId of [clinicEvent, platformEvent]) await fanOutEvent(asJob(), { eventId });
    const eventsOf = async (endpointId: string) => (await deliveriesOf(endpointId)).map((d) => d.eventId);
    expect(await eventsOf(mine.id)).toContain(clinicEvent);
    expect(await eventsOf(mine.id)).not.toContain(platformEvent);
    expect(await eventsOf(theirs.id)).not.toContain(clinicEvent);
    expect(await eventsOf(platform.id)).toEqual([platformEvent]);
    // The platform's endpoints are not a clinic admin's, nor the other way round.
    expect((await callerAs(db, ctx.adminId).integrations.webhooks()).map((e) => e.id)).not.toContain(platform.id);
    expect((await callerAs(db, ctx.platformId).platformIntegrations.webhooks()).map((e) => e.id)).toEqual([platform.id]);
  });

  it("A4: the console refuses a resend of a delivery still being attempted", async () => {
    const { id } = await endpoint();
    const { deliveryId } = await sendTestEvent(asAdmin(), { endpointId: id });
    await expect(resendDelivery(asAdmin(), { deliveryId })).rejects.toThrow(/still being attempted/);
  });
});

describe("rule A4: through the queue", () => {
  let workers: Workers | undefined;
  afterAll(async () => workers?.stop());

  it("A4: with WEBHOOK_ALLOW_HOSTS=127.0.0.1, an endpoint made with integrations.createWebhook receives a referral.qualified delivery within 10 seconds", async () => {
    // The endpoints of the tests above (some on names only a test resolver knows) are not this test's.
    await db.delete(webhookEndpoints);
    workers = await startWorkers(handle, {
      payments: new TestPaymentProvider(db),
      timing: { maintenanceIntervalSeconds: 1, pollingIntervalSeconds: 0.5 },
      queues: ["webhooks.fanout", "webhooks.deliver"],
    });
    const { id, secret } = await callerAs(db, ctx.adminId).integrations.createWebhook({ url: receiver.url("/queue"), events: ["referral.qualified"] });
    const eventId = await emitEvent(qualified(ctx.clinicId, ctx.patientId));
    const deadline = Date.now() + 10_000;
    let request;
    while (!(request = receiver.received.find((r) => r.path === "/queue")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (!request) throw new Error(`no delivery within 10 seconds: ${JSON.stringify(await queryRows(db, sql`select name, state, count(*)::int, max(output::text) from pgboss.job where name like 'webhooks%' group by 1, 2`))}`);
    const payload = new Webhook(secret).verify(request.body, request.headers as Record<string, string>) as { type: string };
    expect(payload.type).toBe("referral.qualified");
    expect((await deliveriesOf(id)).map((d) => d.eventId)).toEqual([eventId]);
  });
});

describe("rule A4: the documented payloads", () => {
  it("A4: the OpenAPI webhooks section lists every catalog event with its payload schema", async () => {
    const { openApiWebhooks } = await import("./openapi");
    const { EVENT_CATALOG } = await import("@/server/events/catalog");
    const webhooks = openApiWebhooks() as Record<string, { post: { requestBody: { content: { "application/json": { schema: { properties: { data: { properties: Record<string, unknown> } } } } } } } }>;
    expect(Object.keys(webhooks).sort()).toEqual([...EVENT_CATALOG].sort());
    const qualifiedData = webhooks["referral.qualified"]?.post.requestBody.content["application/json"].schema.properties.data.properties ?? {};
    expect(Object.keys(qualifiedData)).toEqual(expect.arrayContaining(["referralId", "referrerId", "refereeId", "qualifyingEvent", "orderId", "people"]));
  });
});
