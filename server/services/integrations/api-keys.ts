import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { API_KEY_SCOPES, apiIdempotencyKeys, apiKeys } from "@/db/schema";
import { actorUserId } from "@/server/events/actor";
import { auditBy } from "@/server/kernel/audit";
import { type PlatformContext, type ServiceContext, withTransaction } from "@/server/kernel/context";
import { DomainError } from "@/server/kernel/errors";
import { hitRateLimit } from "@/server/kernel/rate-limit";

export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
/** A key as the REST edge knows it after authentication. */
export type ApiKeyRef = { id: string; clinicId: string | null; scope: ApiKeyScope };

const KEY_PREFIX = "rk_";
/** Hits per key per minute, shared by every app instance (rate-limit.ts keeps it in the database). */
export const API_RATE_LIMIT = { limit: 120, windowSeconds: 60 } as const;
/** last_used_at is written at most this often per key, so reads do not each update a row. */
const LAST_USED_GRANULARITY_MS = 60_000;

export const hashApiKey = (key: string) => createHash("sha256").update(key).digest("hex");

/** `rk_<8 visible characters>_<32 secret characters>`: 48 + 192 random bits, base64url. */
function newKey(): { key: string; prefix: string } {
  const prefix = `${KEY_PREFIX}${randomBytes(6).toString("base64url")}`;
  return { key: `${prefix}_${randomBytes(24).toString("base64url")}`, prefix };
}

/**
 * A new key for the caller's clinic, or a platform key (ctx.clinicId null). The secret is answered
 * this once; only its hash is stored.
 */
export async function createApiKey(ctx: PlatformContext, input: { name: string; scope: ApiKeyScope }) {
  const createdById = actorUserId(ctx.actor);
  if (!createdById) throw new DomainError("refused", "Only a signed-in admin can create an API key.");
  const { key, prefix } = newKey();
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({ clinicId, name: input.name, prefix, secretHash: hashApiKey(key), scope: input.scope, createdById })
      .returning();
    if (!row) throw new Error("the API key was not stored");
    await auditBy(tx, actor, { clinicId, action: "api_key.create", targetType: "api_key", targetId: row.id, after: { name: row.name, prefix, scope: row.scope } });
    return { key, apiKey: summary(row) };
  });
}

/** Revokes a key of the same owner at once; revoking twice is a no-op. */
export async function revokeApiKey(ctx: PlatformContext, input: { keyId: string }) {
  const revokedById = actorUserId(ctx.actor);
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const [row] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date(), revokedById })
      .where(and(eq(apiKeys.id, input.keyId), ownedBy(clinicId), isNull(apiKeys.revokedAt)))
      .returning();
    if (!row) {
      const [existing] = await tx.select().from(apiKeys).where(and(eq(apiKeys.id, input.keyId), ownedBy(clinicId)));
      if (!existing) throw new DomainError("not_found", "No such API key.");
      return summary(existing);
    }
    await auditBy(tx, actor, { clinicId, action: "api_key.revoke", targetType: "api_key", targetId: row.id, before: { prefix: row.prefix } });
    return summary(row);
  });
}

export async function listApiKeys(ctx: PlatformContext) {
  const rows = await ctx.db.select().from(apiKeys).where(ownedBy(ctx.clinicId)).orderBy(desc(apiKeys.createdAt)).limit(200);
  return rows.map(summary);
}

/**
 * The live key behind a bearer token, or null (unknown, malformed or revoked: the edge answers
 * 401 alike). Each call counts against the key's rate limit in the database (429 past it).
 * The database alone: this runs before any actor or clinic is known (the key is what names them).
 */
export async function authenticateApiKey({ db }: Pick<ServiceContext, "db">, input: { token: string; now?: Date }): Promise<ApiKeyRef | null> {
  const { token, now = new Date() } = input;
  if (!token.startsWith(KEY_PREFIX) || token.length > 100) return null;
  const [row] = await db
    .select({ id: apiKeys.id, clinicId: apiKeys.clinicId, scope: apiKeys.scope, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .where(and(eq(apiKeys.secretHash, hashApiKey(token)), isNull(apiKeys.revokedAt)));
  if (!row) return null;
  await hitRateLimit(db, { key: `api:${row.id}`, ...API_RATE_LIMIT, now });
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_GRANULARITY_MS) {
    const stale = new Date(now.getTime() - LAST_USED_GRANULARITY_MS);
    await db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(and(eq(apiKeys.id, row.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, stale))));
  }
  return { id: row.id, clinicId: row.clinicId, scope: row.scope };
}

/** Rule N2: an Idempotency-Key answers its first response for 24 hours, as Stripe's do; the daily run forgets older ones. */
export async function pruneIdempotencyKeys(ctx: PlatformContext, input: { now?: Date } = {}): Promise<number> {
  const now = input.now ?? new Date();
  const gone = await ctx.db
    .delete(apiIdempotencyKeys)
    .where(lt(apiIdempotencyKeys.createdAt, new Date(now.getTime() - 86_400_000)))
    .returning({ id: apiIdempotencyKeys.id });
  return gone.length;
}

function ownedBy(clinicId: string | null) {
  return clinicId ? eq(apiKeys.clinicId, clinicId) : sql`${apiKeys.clinicId} is null`;
}

function summary(row: typeof apiKeys.$inferSelect) {
  return { id: row.id, name: row.name, prefix: row.prefix, scope: row.scope, createdAt: row.createdAt, lastUsedAt: row.lastUsedAt, revokedAt: row.revokedAt };
}
