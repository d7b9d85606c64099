import { and, eq, gt, lte, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { domainEvents, webhookAttempts, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { webhookAllowHosts } from "@/server/env";
import { systemActor } from "@/server/events/actor";
import { emit } from "@/server/events/emit";
import { enqueue } from "@/server/queue/boss";
import { type PlatformContext, withTransaction } from "@/server/kernel/context";
import { inScope, newMessageId } from "./endpoints";
import { envelopeFor, isSlackUrl, slackMayName, slackMessage } from "./payload";
import { openEndpointSecret, signedHeaders } from "./signing";
import { checkTarget, postPinned, type PostResult, RefusedTarget, type Resolver } from "./ssrf";

/** Rule A4: the wait before each retry after a failed attempt: ~5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (8 attempts in all). */
export const RETRY_DELAYS_SECONDS = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600] as const;
/** Failed attempts in a row, across the endpoint's deliveries, after which it is disabled. */
export const DISABLE_AFTER_FAILURES = 20;
export const DELIVERY_TIMEOUT_MS = 15_000;

/** When the attempt after failed attempt number `attempt` (0-based) runs, or null when none is left. */
export function nextAttemptAt(attempt: number, now: Date): Date | null {
  const delay = RETRY_DELAYS_SECONDS[attempt];
  return delay === undefined ? null : new Date(now.getTime() + delay * 1000);
}

/**
 * Rule A4: one delivery per matching endpoint for a domain event, and its first attempt queued,
 * in one transaction. Safe to run twice: the (endpoint, event) pair is unique.
 */
export async function fanOutEvent(ctx: PlatformContext, input: { eventId: string }): Promise<number> {
  return withTransaction(ctx, async ({ db: tx }) => {
    const [event] = await tx.select().from(domainEvents).where(eq(domainEvents.id, input.eventId));
    if (!event) return 0;
    // Rule N1: a clinic's events go to that clinic's endpoints; the platform's to the platform's.
    const endpoints = await tx
      .select({ id: webhookEndpoints.id })
      .from(webhookEndpoints)
      .where(
        and(
          inScope(webhookEndpoints.clinicId, event.clinicId),
          eq(webhookEndpoints.status, "active"),
          // A subscription made after the event does not receive it, however late the fan-out runs.
          lte(webhookEndpoints.createdAt, event.createdAt),
          or(sql`${webhookEndpoints.events} @> array[${event.type}]::text[]`, sql`${webhookEndpoints.events} @> array['*']::text[]`),
        ),
      );
    if (!endpoints.length) return 0;
    const created = await tx
      .insert(webhookDeliveries)
      .values(endpoints.map((endpoint) => ({ clinicId: event.clinicId, endpointId: endpoint.id, eventId: event.id, eventType: event.type, messageId: newMessageId() })))
      .onConflictDoNothing({ target: [webhookDeliveries.endpointId, webhookDeliveries.eventId] })
      .returning({ id: webhookDeliveries.id });
    for (const delivery of created) await enqueue(tx, "webhooks.deliver", { clinicId: event.clinicId, deliveryId: delivery.id, attempt: 0, resend: false });
    return created.length;
  });
}

export type DeliverOptions = {
  now?: () => Date;
  resolve?: Resolver;
  allowHosts?: readonly string[];
  timeoutMs?: number;
};

export type AttemptOutcome = { sent: boolean; succeeded: boolean; statusCode: number | null; nextAttemptAt: Date | null; endpointDisabled: "gone" | "failing" | null };
const SKIPPED: AttemptOutcome = { sent: false, succeeded: false, statusCode: null, nextAttemptAt: null, endpointDisabled: null };

/**
 * Rule A4: one attempt of one delivery. The receiver gets it at least once (two workers racing
 * on one job may both send, with one `webhook-id`, which receivers deduplicate on); the attempt
 * is recorded once, by whichever run still finds the delivery where the job left it.
 */
export async function attemptDelivery(ctx: PlatformContext, input: { deliveryId: string; attempt: number; resend: boolean } & DeliverOptions): Promise<AttemptOutcome> {
  const job = { deliveryId: input.deliveryId, attempt: input.attempt, resend: input.resend };
  const clock = input.now ?? (() => new Date());
  const [row] = await ctx.db
    .select({ delivery: webhookDeliveries, endpoint: webhookEndpoints })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(eq(webhookDeliveries.id, job.deliveryId));
  if (!row || row.delivery.status !== "pending" || row.delivery.attempts !== job.attempt) return SKIPPED;
  const { delivery, endpoint } = row;

  if (endpoint.status !== "active") {
    await ctx.db
      .update(webhookDeliveries)
      .set({ status: "failed", lastError: `not sent: the endpoint is ${endpoint.status}`, nextAttemptAt: null })
      .where(and(eq(webhookDeliveries.id, delivery.id), eq(webhookDeliveries.attempts, job.attempt), eq(webhookDeliveries.status, "pending")));
    return SKIPPED;
  }

  const body = await bodyOf(ctx, delivery, endpoint);
  const sentAt = clock();
  let result: PostResult;
  try {
    // Checked again at send time: the name may resolve elsewhere now than at registration.
    const target = await checkTarget(endpoint.url, input.allowHosts ?? webhookAllowHosts(), input.resolve);
    const secrets = [openEndpointSecret(endpoint.secretSealed)];
    if (endpoint.previousSecretSealed && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > sentAt) {
      secrets.push(openEndpointSecret(endpoint.previousSecretSealed));
    }
    const headers = signedHeaders({ messageId: delivery.messageId, timestamp: sentAt, body, secrets });
    result = await postPinned(target, body, headers, { timeoutMs: input.timeoutMs ?? DELIVERY_TIMEOUT_MS });
  } catch (error) {
    if (!(error instanceof RefusedTarget)) throw error;
    result = { statusCode: null, latencyMs: 0, excerpt: null, error: `not sent: ${error.message}` };
  }
  return recordAttempt(ctx, { delivery, endpointId: endpoint.id, clinicId: endpoint.clinicId, job, result, at: clock() });
}

/** Only a 2xx answer counts; a redirect is a failure like any other answer (it is never followed). */
const isSuccess = (status: number | null) => status !== null && status >= 200 && status < 300;

async function recordAttempt(
  ctx: PlatformContext,
  input: { delivery: typeof webhookDeliveries.$inferSelect; endpointId: string; clinicId: string | null; job: { attempt: number; resend: boolean }; result: PostResult; at: Date },
): Promise<AttemptOutcome> {
  const { result, job } = input;
  const succeeded = isSuccess(result.statusCode);
  const gone = result.statusCode === 410;
  const retryAt = succeeded || gone || job.resend ? null : nextAttemptAt(job.attempt, input.at);
  return withTransaction(ctx, async ({ db: tx }) => {
    const [updated] = await tx
      .update(webhookDeliveries)
      .set({
        attempts: sql`${webhookDeliveries.attempts} + 1`,
        status: succeeded ? "succeeded" : retryAt ? "pending" : "failed",
        lastStatusCode: result.statusCode,
        lastLatencyMs: result.latencyMs,
        lastResponseExcerpt: result.excerpt,
        lastError: result.error,
        nextAttemptAt: retryAt,
      })
      .where(and(eq(webhookDeliveries.id, input.delivery.id), eq(webhookDeliveries.attempts, job.attempt), eq(webhookDeliveries.status, "pending")))
      .returning({ id: webhookDeliveries.id });
    // Another run of this job recorded it first.
    if (!updated) return { ...SKIPPED, sent: true, succeeded, statusCode: result.statusCode };
    await tx.insert(webhookAttempts).values({
      deliveryId: input.delivery.id,
      attempt: job.attempt + 1,
      statusCode: result.statusCode,
      latencyMs: result.latencyMs,
      responseExcerpt: result.excerpt,
      error: result.error,
      succeeded,
    });
    if (retryAt) {
      const next = { clinicId: input.clinicId, deliveryId: input.delivery.id, attempt: job.attempt + 1, resend: false };
      await enqueue(tx, "webhooks.deliver", next, { startAfter: retryAt, singletonKey: `${input.delivery.id}:${next.attempt}` });
    }
    const endpointDisabled = await countOutcome(tx, { endpointId: input.endpointId, clinicId: input.clinicId, succeeded, gone });
    return { sent: true, succeeded, statusCode: result.statusCode, nextAttemptAt: retryAt, endpointDisabled };
  });
}

/** Rule A4: 410 Gone disables the endpoint at once; 20 failed attempts in a row disable it too; a success clears the count. */
async function countOutcome(tx: Db, input: { endpointId: string; clinicId: string | null; succeeded: boolean; gone: boolean }): Promise<"gone" | "failing" | null> {
  if (input.succeeded) {
    await tx.update(webhookEndpoints).set({ consecutiveFailures: 0 }).where(and(eq(webhookEndpoints.id, input.endpointId), gt(webhookEndpoints.consecutiveFailures, 0)));
    return null;
  }
  const [counted] = await tx
    .update(webhookEndpoints)
    .set({ consecutiveFailures: sql`${webhookEndpoints.consecutiveFailures} + 1` })
    .where(eq(webhookEndpoints.id, input.endpointId))
    .returning({ failures: webhookEndpoints.consecutiveFailures });
  const reason = input.gone ? "gone" : counted && counted.failures >= DISABLE_AFTER_FAILURES ? "failing" : null;
  if (!reason) return null;
  const [disabled] = await tx
    .update(webhookEndpoints)
    .set({ status: "disabled", disabledReason: reason })
    .where(and(eq(webhookEndpoints.id, input.endpointId), eq(webhookEndpoints.status, "active")))
    .returning({ id: webhookEndpoints.id });
  // The messages side emails the clinic's admins on this event (subscriptions.ts).
  if (disabled) await emit(tx, systemActor("webhooks.deliver", input.clinicId), { type: "webhook.disabled", clinicId: input.clinicId, data: { endpointId: input.endpointId, reason } });
  return disabled ? reason : null;
}

async function bodyOf(ctx: PlatformContext, delivery: typeof webhookDeliveries.$inferSelect, endpoint: typeof webhookEndpoints.$inferSelect): Promise<string> {
  let envelope;
  if (delivery.eventId) {
    const [event] = await ctx.db.select().from(domainEvents).where(eq(domainEvents.id, delivery.eventId));
    if (!event) throw new Error("the delivery's event is gone");
    envelope = await envelopeFor({ ...ctx, clinicId: event.clinicId }, { type: event.type, at: event.createdAt, data: event.data, contactDetails: endpoint.mayReceiveContactDetails });
  } else {
    envelope = { type: delivery.eventType, timestamp: delivery.createdAt.toISOString(), data: delivery.testData ?? {} };
  }
  return JSON.stringify(isSlackUrl(endpoint.url) ? slackMessage(envelope, { names: await slackMayName({ ...ctx, clinicId: endpoint.clinicId }) }) : envelope);
}
