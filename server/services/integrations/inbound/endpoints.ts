import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { inboundEndpoints } from "@/db/schema";
import { auditBy } from "@/server/kernel/audit";
import { type PlatformContext, withTransaction } from "@/server/kernel/context";
import { DomainError } from "@/server/kernel/errors";
import { inScope, ROTATION_OVERLAP_MS, type Scope } from "@/server/services/integrations/webhooks/endpoints";
import { inboundUrl } from "./receive";
import { newSigningSecret, sealSigningSecret } from "./verify";

// Issue 19: an inbound endpoint can be paused, given a new secret, or deleted, by its own
// clinic's admins (the platform's by platform admins), each audited in the change's transaction.

const NOT_FOUND = "No such receiving address.";

const summary = {
  id: inboundEndpoints.id,
  provider: inboundEndpoints.provider,
  badSignatures: inboundEndpoints.badSignatures,
  lastBadSignatureAt: inboundEndpoints.lastBadSignatureAt,
  pausedAt: inboundEndpoints.pausedAt,
  previousSecretExpiresAt: inboundEndpoints.previousSecretExpiresAt,
  createdAt: inboundEndpoints.createdAt,
};

/** Rule N1: the scope's own endpoint, not deleted, locked for the change; otherwise not found. */
async function endpointIn(tx: Db, scope: Scope, endpointId: string) {
  const [endpoint] = await tx
    .select()
    .from(inboundEndpoints)
    .where(and(eq(inboundEndpoints.id, endpointId), inScope(inboundEndpoints.clinicId, scope.clinicId), isNull(inboundEndpoints.deletedAt)))
    .for("update");
  if (!endpoint) throw new DomainError("not_found", NOT_FOUND);
  return endpoint;
}

export async function listInboundEndpoints(ctx: PlatformContext) {
  const rows = await ctx.db
    .select(summary)
    .from(inboundEndpoints)
    .where(and(inScope(inboundEndpoints.clinicId, ctx.clinicId), isNull(inboundEndpoints.deletedAt)))
    .orderBy(desc(inboundEndpoints.createdAt))
    .limit(50);
  return rows.map((row) => ({ ...row, url: inboundUrl(row.provider, row.id) }));
}

/** A paused endpoint answers 404 and stores nothing, until resumed. */
export async function setInboundPaused(ctx: PlatformContext, input: { endpointId: string; paused: boolean; now?: Date }) {
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const before = await endpointIn(tx, { clinicId }, input.endpointId);
    const pausedAt = input.paused ? (before.pausedAt ?? input.now ?? new Date()) : null;
    const [after] = await tx.update(inboundEndpoints).set({ pausedAt }).where(eq(inboundEndpoints.id, before.id)).returning(summary);
    if (!after) throw new DomainError("not_found", NOT_FOUND);
    await auditBy(tx, actor, {
      clinicId,
      action: input.paused ? "inbound.pause" : "inbound.resume",
      targetType: "inbound_endpoint",
      targetId: before.id,
      before: { pausedAt: before.pausedAt },
      after: { pausedAt },
    });
    return { ...after, url: inboundUrl(after.provider, after.id) };
  });
}

/**
 * A new signing secret: pasted from the provider (Stripe and Calendly issue their own), or made
 * here and answered this once. The old one keeps verifying for 24 hours, sealed like the new.
 */
export async function rotateInboundSecret(
  ctx: PlatformContext,
  input: { endpointId: string; signingSecret?: string; now?: Date },
): Promise<{ id: string; signingSecret: string; previousExpiresAt: Date }> {
  const now = input.now ?? new Date();
  const previousExpiresAt = new Date(now.getTime() + ROTATION_OVERLAP_MS);
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const before = await endpointIn(tx, { clinicId }, input.endpointId);
    const signingSecret = input.signingSecret ?? newSigningSecret(before.provider);
    await tx
      .update(inboundEndpoints)
      .set({ signingSecretSealed: sealSigningSecret(signingSecret), previousSecretSealed: before.signingSecretSealed, previousSecretExpiresAt: previousExpiresAt })
      .where(eq(inboundEndpoints.id, before.id));
    await auditBy(tx, actor, {
      clinicId,
      action: "inbound.rotate_secret",
      targetType: "inbound_endpoint",
      targetId: before.id,
      after: { pasted: input.signingSecret !== undefined, previousExpiresAt },
    });
    return { id: before.id, signingSecret, previousExpiresAt };
  });
}

/** Soft delete: the address answers 404 and leaves the lists; its events stay for their history. */
export async function deleteInboundEndpoint(ctx: PlatformContext, input: { endpointId: string; now?: Date }): Promise<{ id: string }> {
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const before = await endpointIn(tx, { clinicId }, input.endpointId);
    // No secret outlives the address it proved.
    await tx
      .update(inboundEndpoints)
      .set({ deletedAt: input.now ?? new Date(), previousSecretSealed: null, previousSecretExpiresAt: null })
      .where(eq(inboundEndpoints.id, before.id));
    await auditBy(tx, actor, { clinicId, action: "inbound.delete", targetType: "inbound_endpoint", targetId: before.id, before: { provider: before.provider, pausedAt: before.pausedAt } });
    return { id: before.id };
  });
}
