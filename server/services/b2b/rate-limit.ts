import { lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rateLimits } from "@/db/schema";
import { DomainError } from "@/server/services/errors";

/**
 * A fixed-window limit shared by every app instance: one atomic upsert per hit in the
 * database, never a counter in process memory.
 */
export async function hitRateLimit(db: Db, input: { key: string; limit: number; windowSeconds: number; now?: Date }): Promise<void> {
  const now = input.now ?? new Date();
  const windowMs = input.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const [row] = await db
    .insert(rateLimits)
    .values({ key: input.key, windowStart, hits: 1 })
    .onConflictDoUpdate({ target: [rateLimits.key, rateLimits.windowStart], set: { hits: sql`${rateLimits.hits} + 1` } })
    .returning({ hits: rateLimits.hits });
  if ((row?.hits ?? 0) > input.limit) {
    throw new DomainError("BAD_REQUEST", "We've received several requests from you in a short time. Please wait a while and try again.");
  }
}

/** Forgets windows that ended more than a day ago. */
export async function pruneRateLimits(db: Db, now = new Date()): Promise<void> {
  await db.delete(rateLimits).where(lt(rateLimits.windowStart, new Date(now.getTime() - 86_400_000)));
}
