import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { staffActor, systemActor } from "@/server/events/actor";
import { emit } from "@/server/events/emit";
import { createApiKey } from "@/server/services/integrations/api-keys";
import { attemptDelivery, fanOutEvent } from "@/server/services/integrations/webhooks/deliveries";
import { createTestDb } from "@/server/testing/db";
import { clinicOf, DEMO_SLUG, SECOND_SLUG, userByEmail } from "@/server/testing/fixtures";
import { startReceiver } from "@/server/testing/receiver";
import { handleApiRequest } from "./handle";

// A loopback receiver stands in for Zapier: allowed by name, as the outside check sets it (rule A4).
vi.hoisted(() => {
  process.env.WEBHOOK_ALLOW_HOSTS = "127.0.0.1";
});

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let demo: string;
const keys = {} as Record<"zapier" | "other" | "read" | "secondClinic", string>;

async function api(method: string, path: string, key: string, body?: unknown) {
  const request = new Request(`http://app.test/api/v1${path}`, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const response = await handleApiRequest(request, { db });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  receiver = await startReceiver();
  demo = (await clinicOf(db, DEMO_SLUG)).id;
  const second = (await clinicOf(db, SECOND_SLUG)).id;
  const admin = staffActor((await userByEmail(db, "admin@demo.test")).id, demo);
  keys.zapier = (await createApiKey({ db, actor: admin, clinicId: demo }, { name: "Zapier", scope: "write" })).key;
  keys.other = (await createApiKey({ db, actor: admin, clinicId: demo }, { name: "Make", scope: "write" })).key;
  keys.read = (await createApiKey({ db, actor: admin, clinicId: demo }, { name: "Reports", scope: "read" })).key;
  keys.secondClinic = (await createApiKey({ db, actor: staffActor((await userByEmail(db, "admin@second.test")).id, second), clinicId: second }, { name: "Theirs", scope: "write" })).key;
});
afterAll(async () => {
  await receiver.close();
  await handle.drop();
});

describe("rule A4: REST hooks for automation tools", () => {
  it("POST /api/v1/webhooks subscribes; the delivery verifies with the secret it answered; DELETE unsubscribes", async () => {
    const made = await api("POST", "/webhooks", keys.zapier, { url: receiver.url("/zap"), events: ["program.updated"], description: "Zapier" });
    expect(made.status).toBe(201);
    const { id, secret } = made.body as { id: string; secret: string };
    expect(secret).toMatch(/^whsec_/);

    const eventId = await db.transaction((tx) =>
      emit(tx, systemActor("test", demo), { type: "program.updated", clinicId: demo, data: { versionId: randomUUID(), termsVersion: 2, changed: ["holdDays"] } }),
    );
    const job = { db, actor: systemActor("webhooks", demo), clinicId: demo };
    await fanOutEvent(job, { eventId });
    const [delivery] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, id));
    if (!delivery) throw new Error("no delivery was made for the subscription");
    await attemptDelivery(job, { deliveryId: delivery.id, attempt: 0, resend: false });
    const [arrived] = receiver.received.filter((r) => r.path === "/zap");
    if (!arrived) throw new Error("the subscription received nothing");
    const verified = new Webhook(secret).verify(arrived.body, arrived.headers as Record<string, string>) as { type: string };
    expect(verified.type).toBe("program.updated");

    expect((await api("DELETE", `/webhooks/${id}`, keys.zapier)).body).toEqual({ id, deleted: true });
    expect(await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id))).toEqual([]);
    expect((await api("DELETE", `/webhooks/${id}`, keys.zapier)).status).toBe(404);
  });

  it("a key removes only what it subscribed; another clinic's key and a read key are refused, and nothing changes (rule N1)", async () => {
    const made = await api("POST", "/webhooks", keys.zapier, { url: receiver.url("/kept"), events: ["*"] });
    const id = (made.body as { id: string }).id;
    expect((await api("DELETE", `/webhooks/${id}`, keys.other)).status).toBe(404);
    expect((await api("DELETE", `/webhooks/${id}`, keys.secondClinic)).status).toBe(404);
    expect((await api("DELETE", `/webhooks/${id}`, keys.read)).status).toBe(403);
    expect((await api("POST", "/webhooks", keys.read, { url: receiver.url("/nope"), events: ["*"] })).status).toBe(403);
    expect(await db.select({ id: webhookEndpoints.id }).from(webhookEndpoints).where(eq(webhookEndpoints.id, id))).toHaveLength(1);
  });

  it("an endpoint on a private address is refused with the field named, and contact details cannot be asked for through the API (N3)", async () => {
    const privateUrl = await api("POST", "/webhooks", keys.zapier, { url: "https://10.0.0.7/hook", events: ["*"] });
    expect(privateUrl.status).toBe(400);
    const asked = await api("POST", "/webhooks", keys.zapier, { url: receiver.url("/crm"), events: ["*"], mayReceiveContactDetails: true });
    expect(asked.status).toBe(400);
    expect(asked.body).toMatchObject({ detail: expect.stringContaining("mayReceiveContactDetails") });
  });
});
