import { z } from "zod";
import { and, desc, eq, isNotNull, isNull, lt, sql } from "drizzle-orm";
import { inboundEndpoints, inboundEvents, type InboundProvider, INBOUND_PROVIDERS } from "@/db/schema";
import { env } from "@/server/env";
import { enqueue } from "@/server/queue/boss";
import { auditBy } from "@/server/kernel/audit";
import { type PlatformContext, type ServiceContext, withTransaction } from "@/server/kernel/context";
import { DomainError } from "@/server/kernel/errors";
import { limitRefusedDelivery, RateLimited } from "@/server/kernel/rate-limit";
import { inScope } from "@/server/services/integrations/webhooks/endpoints";
import { newSigningSecret, openSigningSecret, sealSigningSecret, verify } from "./verify";

export const RAW_PAYLOAD_DAYS = 30;

export const inboundUrl = (provider: InboundProvider, endpointId: string) => `${env.APP_URL.replace(/\/$/, "")}/api/webhooks/${provider}/${endpointId}`;

/**
 * Rule A5: an address a provider posts to, with its signing secret (pasted from the provider, or
 * made here when none is given). The secret is answered so the admin can paste it over there.
 */
export async function createInboundEndpoint(
  ctx: PlatformContext,
  input: { provider: InboundProvider; signingSecret?: string; fieldMapping?: Record<string, string> },
): Promise<{ id: string; url: string; signingSecret: string }> {
  // Typeform submissions become the platform's partner referrals, so only the platform takes them
  // (issue 19); payments and bookings belong to a clinic.
  if (ctx.clinicId === null && input.provider !== "typeform") throw new DomainError("invalid", "The platform receives Typeform submissions only.", "provider");
  if (ctx.clinicId !== null && input.provider === "typeform") {
    throw new DomainError("invalid", "Typeform submissions go to the partner program, which the platform runs; a clinic can receive Stripe and Calendly events.", "provider");
  }
  const signingSecret = input.signingSecret ?? newSigningSecret(input.provider);
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const [row] = await tx
      .insert(inboundEndpoints)
      .values({ clinicId, provider: input.provider, signingSecretSealed: sealSigningSecret(signingSecret), fieldMapping: input.fieldMapping ?? null })
      .returning({ id: inboundEndpoints.id });
    if (!row) throw new Error("the inbound endpoint was not stored");
    await auditBy(tx, actor, { clinicId, action: "inbound.create", targetType: "inbound_endpoint", targetId: row.id, after: { provider: input.provider, fieldMapping: input.fieldMapping ?? null } });
    return { id: row.id, url: inboundUrl(input.provider, row.id), signingSecret };
  });
}

export type ReceiveOutcome =
  | { kind: "accepted"; eventId: string }
  | { kind: "duplicate"; eventId: string }
  | { kind: "refused"; reason: string }
  | { kind: "limited"; retryAfterSeconds: number }
  | { kind: "unknown" };

/**
 * Rule A5: one delivery from a provider. A verified event is stored as received and queued for
 * processing, in one transaction, once per provider event id however often or concurrently it
 * arrives; a bad or stale signature stores nothing but a count on the endpoint. A paused or
 * deleted endpoint is unknown (issue 19). The database alone: a public door, whose caller is
 * known only by the signature checked here, once the endpoint it names is found.
 */
export async function receiveInbound(
  ctx: Pick<ServiceContext, "db">,
  input: { provider: string; endpointId: string; body: string; signature: string | null; networkHash?: string | null; nowSeconds?: number },
): Promise<ReceiveOutcome> {
  // Issue 19 item 10: a real uuid, or the database would refuse the lookup with a 500.
  if (!(INBOUND_PROVIDERS as readonly string[]).includes(input.provider) || !z.uuid().safeParse(input.endpointId).success) return { kind: "unknown" };
  const provider = input.provider as InboundProvider;
  const now = input.nowSeconds === undefined ? new Date() : new Date(input.nowSeconds * 1000);
  const [endpoint] = await ctx.db
    .select()
    .from(inboundEndpoints)
    .where(and(eq(inboundEndpoints.id, input.endpointId), eq(inboundEndpoints.provider, provider), isNull(inboundEndpoints.pausedAt), isNull(inboundEndpoints.deletedAt)));
  if (!endpoint) return { kind: "unknown" };
  const check = (sealed: string) => verify(provider, { body: input.body, signature: input.signature, secret: openSigningSecret(sealed), nowSeconds: input.nowSeconds });
  let verified = check(endpoint.signingSecretSealed);
  // After a rotation the old secret keeps verifying for 24 hours, while the provider switches over.
  if (!verified.ok && endpoint.previousSecretSealed && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now) {
    const previous = check(endpoint.previousSecretSealed);
    if (previous.ok) verified = previous;
  }
  if (!verified.ok) {
    try {
      await limitRefusedDelivery(ctx.db, { endpointId: endpoint.id, networkHash: input.networkHash ?? null, now });
    } catch (error) {
      if (error instanceof RateLimited) return { kind: "limited", retryAfterSeconds: error.retryAfterSeconds };
      throw error;
    }
    await ctx.db
      .update(inboundEndpoints)
      .set({ badSignatures: sql`${inboundEndpoints.badSignatures} + 1`, lastBadSignatureAt: now })
      .where(eq(inboundEndpoints.id, endpoint.id));
    return { kind: "refused", reason: verified.reason };
  }
  return withTransaction(ctx, async ({ db: tx }) => {
    const [stored] = await tx
      .insert(inboundEvents)
      .values({ endpointId: endpoint.id, clinicId: endpoint.clinicId, provider, providerEventId: verified.event.id, type: verified.event.type, payload: verified.event.payload })
      .onConflictDoNothing({ target: [inboundEvents.endpointId, inboundEvents.providerEventId] })
      .returning({ id: inboundEvents.id });
    if (!stored) {
      const [existing] = await tx
        .select({ id: inboundEvents.id })
        .from(inboundEvents)
        .where(and(eq(inboundEvents.endpointId, endpoint.id), eq(inboundEvents.providerEventId, verified.event.id)));
      return { kind: "duplicate", eventId: existing?.id ?? "" };
    }
    await enqueue(tx, "inbound.process", { clinicId: endpoint.clinicId, inboundEventId: stored.id });
    return { kind: "accepted", eventId: stored.id };
  });
}

const eventSummary = {
  id: inboundEvents.id,
  endpointId: inboundEvents.endpointId,
  provider: inboundEvents.provider,
  type: inboundEvents.type,
  status: inboundEvents.status,
  outcome: inboundEvents.outcome,
  attempts: inboundEvents.attempts,
  receivedAt: inboundEvents.receivedAt,
  processedAt: inboundEvents.processedAt,
};

/** The console's list: newest first, the failed ones alone when asked. */
export async function listInboundEvents(ctx: PlatformContext, input: { failedOnly: boolean; limit?: number }) {
  return ctx.db
    .select(eventSummary)
    .from(inboundEvents)
    .where(and(inScope(inboundEvents.clinicId, ctx.clinicId), input.failedOnly ? eq(inboundEvents.status, "failed") : undefined))
    .orderBy(desc(inboundEvents.receivedAt))
    .limit(input.limit ?? 100);
}

/** Staff re-process a failed (or ignored) event: queued again, still processed at most once to effect. */
export async function reprocessInboundEvent(ctx: PlatformContext, input: { inboundEventId: string }): Promise<{ id: string }> {
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const [event] = await tx
      .update(inboundEvents)
      .set({ status: "received", outcome: null })
      .where(and(eq(inboundEvents.id, input.inboundEventId), inScope(inboundEvents.clinicId, clinicId), sql`${inboundEvents.status} in ('failed', 'ignored')`, isNotNull(inboundEvents.payload)))
      .returning({ id: inboundEvents.id });
    if (!event) throw new DomainError("not_found", "No failed inbound event with its payload still kept (payloads are kept 30 days).");
    await enqueue(tx, "inbound.process", { clinicId, inboundEventId: event.id });
    await auditBy(tx, actor, { clinicId, action: "inbound.reprocess", targetType: "inbound_event", targetId: event.id });
    return event;
  });
}

/** Rule A5 and N3: raw payloads are kept 30 days, then dropped; the event's row and outcome stay. */
export async function purgeInboundPayloads(ctx: PlatformContext, input: { now?: Date } = {}): Promise<number> {
  const now = input.now ?? new Date();
  const cutoff = new Date(now.getTime() - RAW_PAYLOAD_DAYS * 86_400_000);
  const purged = await ctx.db
    .update(inboundEvents)
    .set({ payload: null, payloadPurgedAt: now })
    .where(and(isNotNull(inboundEvents.payload), lt(inboundEvents.receivedAt, cutoff)))
    .returning({ id: inboundEvents.id });
  return purged.length;
}
