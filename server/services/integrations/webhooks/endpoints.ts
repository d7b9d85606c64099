import { and, desc, eq, isNull, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { webhookAllowHosts } from "@/server/env";
import { enqueue } from "@/server/queue/boss";
import { auditBy } from "@/server/kernel/audit";
import { type PlatformContext, withTransaction } from "@/server/kernel/context";
import { DomainError } from "@/server/kernel/errors";
import { newEndpointSecret, openEndpointSecret, sealEndpointSecret } from "./signing";
import { checkTarget, type Resolver } from "./ssrf";

/** A clinic's endpoints, or (null) the platform's for partner-program events: rule N1 in one condition. */
export type Scope = { clinicId: string | null };
export const inScope = (column: PgColumn, clinicId: string | null): SQL => (clinicId ? eq(column, clinicId) : isNull(column));

export const ROTATION_OVERLAP_MS = 24 * 3600 * 1000;
export const MAX_ENDPOINTS = 50;

export type EndpointSettings = { url: string; events: string[]; description: string; mayReceiveContactDetails: boolean };
type Checks = { resolve?: Resolver; allowHosts?: readonly string[] };

const NOT_FOUND = "No such webhook endpoint.";

async function endpointIn(db: Db, scope: Scope, endpointId: string) {
  const [endpoint] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, endpointId), inScope(webhookEndpoints.clinicId, scope.clinicId)));
  if (!endpoint) throw new DomainError("not_found", NOT_FOUND);
  return endpoint;
}

/** Rule A4: registers an endpoint after the SSRF check; its secret is answered this once (and on request to an admin). */
export async function createEndpoint(ctx: PlatformContext, input: EndpointSettings & Checks): Promise<{ id: string; secret: string }> {
  await checkTarget(input.url, input.allowHosts ?? webhookAllowHosts(), input.resolve);
  const secret = newEndpointSecret();
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const existing = await tx.$count(webhookEndpoints, inScope(webhookEndpoints.clinicId, clinicId));
    if (existing >= MAX_ENDPOINTS) throw new DomainError("invalid", `A clinic can have at most ${MAX_ENDPOINTS} webhook endpoints; remove one first.`);
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({
        clinicId,
        url: input.url,
        events: input.events,
        description: input.description,
        mayReceiveContactDetails: input.mayReceiveContactDetails,
        secretSealed: sealEndpointSecret(secret),
        createdByApiKeyId: actor.kind === "apiKey" ? actor.id : null,
      })
      .returning({ id: webhookEndpoints.id });
    if (!row) throw new Error("the endpoint was not stored");
    // Rule N3: who let contact details leave, and when, is on the record.
    await auditBy(tx, actor, {
      clinicId,
      action: "webhook.create",
      targetType: "webhook_endpoint",
      targetId: row.id,
      after: { url: input.url, events: input.events, mayReceiveContactDetails: input.mayReceiveContactDetails },
    });
    return { id: row.id, secret };
  });
}

export async function updateEndpoint(ctx: PlatformContext, input: { endpointId: string } & Partial<EndpointSettings> & Checks) {
  if (input.url !== undefined) await checkTarget(input.url, input.allowHosts ?? webhookAllowHosts(), input.resolve);
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const before = await endpointIn(tx, { clinicId }, input.endpointId);
    const changes = { url: input.url, events: input.events, description: input.description, mayReceiveContactDetails: input.mayReceiveContactDetails };
    const [after] = await tx.update(webhookEndpoints).set(changes).where(eq(webhookEndpoints.id, before.id)).returning();
    if (!after) throw new DomainError("not_found", NOT_FOUND);
    await auditBy(tx, actor, {
      clinicId,
      action: "webhook.update",
      targetType: "webhook_endpoint",
      targetId: before.id,
      before: { url: before.url, events: before.events, description: before.description, mayReceiveContactDetails: before.mayReceiveContactDetails },
      after: { url: after.url, events: after.events, description: after.description, mayReceiveContactDetails: after.mayReceiveContactDetails },
    });
    return after;
  });
}

/** Pause stops new deliveries; resuming also re-enables an endpoint the system disabled, with its failure count cleared. */
export async function setEndpointPaused(ctx: PlatformContext, input: { endpointId: string; paused: boolean }) {
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const before = await endpointIn(tx, { clinicId }, input.endpointId);
    const [after] = await tx
      .update(webhookEndpoints)
      .set(input.paused ? { status: "paused", disabledReason: null } : { status: "active", disabledReason: null, consecutiveFailures: 0 })
      .where(eq(webhookEndpoints.id, before.id))
      .returning();
    if (!after) throw new DomainError("not_found", NOT_FOUND);
    await auditBy(tx, actor, {
      clinicId,
      action: input.paused ? "webhook.pause" : "webhook.resume",
      targetType: "webhook_endpoint",
      targetId: before.id,
      before: { status: before.status },
      after: { status: after.status },
    });
    return after;
  });
}

/** Rule A4: a new secret signs from now on; the old one signs beside it for 24 hours so receivers can switch over. */
export async function rotateEndpointSecret(ctx: PlatformContext, input: { endpointId: string; now?: Date }): Promise<{ secret: string; previousExpiresAt: Date }> {
  const now = input.now ?? new Date();
  const secret = newEndpointSecret();
  const previousExpiresAt = new Date(now.getTime() + ROTATION_OVERLAP_MS);
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const before = await endpointIn(tx, { clinicId }, input.endpointId);
    await tx
      .update(webhookEndpoints)
      .set({ secretSealed: sealEndpointSecret(secret), previousSecretSealed: before.secretSealed, previousSecretExpiresAt: previousExpiresAt })
      .where(eq(webhookEndpoints.id, before.id));
    await auditBy(tx, actor, { clinicId, action: "webhook.rotate_secret", targetType: "webhook_endpoint", targetId: before.id });
    return { secret, previousExpiresAt };
  });
}

/** The REST-hooks unsubscribe and the console's remove; an API key removes only endpoints it created. */
export async function deleteEndpoint(ctx: PlatformContext, input: { endpointId: string }): Promise<{ id: string }> {
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const before = await endpointIn(tx, { clinicId }, input.endpointId);
    if (actor.kind === "apiKey" && before.createdByApiKeyId !== actor.id) throw new DomainError("not_found", NOT_FOUND);
    await tx.delete(webhookEndpoints).where(eq(webhookEndpoints.id, before.id));
    await auditBy(tx, actor, { clinicId, action: "webhook.delete", targetType: "webhook_endpoint", targetId: before.id, before: { url: before.url, events: before.events } });
    return { id: before.id };
  });
}

/** The live secret, shown to an admin who asks (audited like any other look at a credential). */
export async function revealEndpointSecret(ctx: PlatformContext, input: { endpointId: string }): Promise<{ secret: string }> {
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const endpoint = await endpointIn(tx, { clinicId }, input.endpointId);
    await auditBy(tx, actor, { clinicId, action: "webhook.reveal_secret", targetType: "webhook_endpoint", targetId: endpoint.id });
    return { secret: openEndpointSecret(endpoint.secretSealed) };
  });
}

const endpointSummary = {
  id: webhookEndpoints.id,
  url: webhookEndpoints.url,
  events: webhookEndpoints.events,
  description: webhookEndpoints.description,
  status: webhookEndpoints.status,
  disabledReason: webhookEndpoints.disabledReason,
  mayReceiveContactDetails: webhookEndpoints.mayReceiveContactDetails,
  consecutiveFailures: webhookEndpoints.consecutiveFailures,
  previousSecretExpiresAt: webhookEndpoints.previousSecretExpiresAt,
  createdAt: webhookEndpoints.createdAt,
};

export async function listEndpoints(ctx: PlatformContext) {
  return ctx.db.select(endpointSummary).from(webhookEndpoints).where(inScope(webhookEndpoints.clinicId, ctx.clinicId)).orderBy(desc(webhookEndpoints.createdAt)).limit(MAX_ENDPOINTS);
}

/** The delivery log of one endpoint, newest first, with each delivery's attempts. */
export async function endpointDeliveries(ctx: PlatformContext, input: { endpointId: string; limit?: number }) {
  const endpoint = await endpointIn(ctx.db, ctx, input.endpointId);
  const { url, events, description, status, disabledReason, mayReceiveContactDetails, consecutiveFailures, previousSecretExpiresAt, createdAt, id } = endpoint;
  const deliveries = await ctx.db
    .select({
      id: webhookDeliveries.id,
      eventType: webhookDeliveries.eventType,
      messageId: webhookDeliveries.messageId,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      lastStatusCode: webhookDeliveries.lastStatusCode,
      lastLatencyMs: webhookDeliveries.lastLatencyMs,
      lastResponseExcerpt: webhookDeliveries.lastResponseExcerpt,
      lastError: webhookDeliveries.lastError,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      createdAt: webhookDeliveries.createdAt,
    })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.endpointId, endpoint.id))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(input.limit ?? 50);
  return {
    endpoint: { id, url, events, description, status, disabledReason, mayReceiveContactDetails, consecutiveFailures, previousSecretExpiresAt, createdAt },
    deliveries,
  };
}

/** Every attempt of one delivery, for the log's detail view. */
export async function deliveryAttempts(ctx: PlatformContext, input: { deliveryId: string }) {
  const delivery = await deliveryIn(ctx.db, ctx, input.deliveryId);
  return ctx.db
    .select({
      attempt: webhookAttempts.attempt,
      statusCode: webhookAttempts.statusCode,
      latencyMs: webhookAttempts.latencyMs,
      responseExcerpt: webhookAttempts.responseExcerpt,
      error: webhookAttempts.error,
      succeeded: webhookAttempts.succeeded,
      createdAt: webhookAttempts.createdAt,
    })
    .from(webhookAttempts)
    .where(eq(webhookAttempts.deliveryId, delivery.id))
    .orderBy(webhookAttempts.attempt);
}

async function deliveryIn(db: Db, scope: Scope, deliveryId: string) {
  const [delivery] = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, deliveryId), inScope(webhookDeliveries.clinicId, scope.clinicId)));
  if (!delivery) throw new DomainError("not_found", "No such delivery.");
  return delivery;
}

/** Rule A4: a test event to one endpoint, delivered and logged like any other. */
export async function sendTestEvent(ctx: PlatformContext, input: { endpointId: string }): Promise<{ deliveryId: string }> {
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const endpoint = await endpointIn(tx, { clinicId }, input.endpointId);
    if (endpoint.status !== "active") throw new DomainError("invalid", "Resume the endpoint before sending it a test event.");
    const [delivery] = await tx
      .insert(webhookDeliveries)
      .values({
        clinicId,
        endpointId: endpoint.id,
        eventType: "webhook.test",
        messageId: newMessageId(),
        testData: { endpointId: endpoint.id, message: "This is a test event." },
      })
      .returning({ id: webhookDeliveries.id });
    if (!delivery) throw new Error("the test delivery was not stored");
    await enqueue(tx, "webhooks.deliver", { clinicId, deliveryId: delivery.id, attempt: 0, resend: false });
    await auditBy(tx, actor, { clinicId, action: "webhook.test", targetType: "webhook_endpoint", targetId: endpoint.id });
    return { deliveryId: delivery.id };
  });
}

/** Rule A4: one more attempt of a delivery, with the same `webhook-id` so the receiver can tell it is the same message. */
export async function resendDelivery(ctx: PlatformContext, input: { deliveryId: string }): Promise<{ deliveryId: string; messageId: string }> {
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const delivery = await deliveryIn(tx, { clinicId }, input.deliveryId);
    const endpoint = await endpointIn(tx, { clinicId }, delivery.endpointId);
    if (endpoint.status !== "active") throw new DomainError("invalid", "Resume the endpoint before resending to it.");
    // A delivery still being retried is not resent beside itself.
    if (delivery.status === "pending") throw new DomainError("conflict", "This delivery is still being attempted; wait for it to finish.");
    const [reopened] = await tx
      .update(webhookDeliveries)
      .set({ status: "pending", nextAttemptAt: new Date() })
      .where(and(eq(webhookDeliveries.id, delivery.id), eq(webhookDeliveries.attempts, delivery.attempts)))
      .returning({ attempts: webhookDeliveries.attempts });
    if (!reopened) throw new DomainError("conflict", "This delivery is still being attempted; wait for it to finish.");
    await enqueue(tx, "webhooks.deliver", { clinicId, deliveryId: delivery.id, attempt: reopened.attempts, resend: true });
    await auditBy(tx, actor, { clinicId, action: "webhook.resend", targetType: "webhook_delivery", targetId: delivery.id });
    return { deliveryId: delivery.id, messageId: delivery.messageId };
  });
}

/** `msg_` and 32 random hex digits: unique, and the receiver's deduplication key. */
export function newMessageId(): string {
  return `msg_${crypto.randomUUID().replace(/-/g, "")}`;
}
