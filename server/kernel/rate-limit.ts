import { lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rateLimits, signInFailures } from "@/db/schema";
import { DomainError } from "./errors";

/** The `limited` failure, which says when to try again: tRPC answers it with 429 and `Retry-After` (rule N6). */
export class RateLimited extends DomainError {
  constructor(
    readonly retryAfterSeconds: number,
    message = `We've received several requests from you in a short time. Please wait ${waitText(retryAfterSeconds)} and try again.`,
  ) {
    super("limited", message);
    this.name = "RateLimited";
  }
}

/** "about 3 minutes": what a person reads, never a bare number of seconds. */
export function waitText(seconds: number): string {
  if (seconds <= 60) return "a minute";
  const minutes = Math.ceil(seconds / 60);
  return minutes >= 60 ? `about ${Math.ceil(minutes / 60)} hour${minutes > 60 ? "s" : ""}` : `about ${minutes} minutes`;
}

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
    throw new RateLimited(Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000)));
  }
}

const HOUR = 3_600;

/** The public actions limited per network (rule N6), and how often one network may take each. */
export const NETWORK_LIMITS = {
  signUp: { limit: 20, windowSeconds: HOUR },
  /** Issue 13: a practice's self sign-up makes a clinic, so far fewer. */
  startProgram: { limit: 5, windowSeconds: HOUR },
  acceptInvitation: { limit: 20, windowSeconds: HOUR },
  partnerSubmit: { limit: 10, windowSeconds: HOUR },
  partnerResend: { limit: 10, windowSeconds: HOUR },
  passwordReset: { limit: 10, windowSeconds: HOUR },
} as const;

/**
 * One hit of `action` from a network (the keyed hash of its address). Without a known address
 * (no trusted proxy) there is no network to tell apart, and one shared bucket would let a single
 * stranger stop everyone, so nothing is counted.
 */
export async function limitPerNetwork(db: Db, action: keyof typeof NETWORK_LIMITS, networkHash: string | null, now?: Date): Promise<void> {
  if (!networkHash) return;
  await hitRateLimit(db, { key: `${action}:${networkHash}`, ...NETWORK_LIMITS[action], now });
}

/**
 * Issue 19: inbound deliveries whose signature fails, per network and per endpoint. Verified
 * deliveries are never counted here, so a stranger's junk cannot starve the provider's.
 */
export const REFUSED_DELIVERIES = { limit: 60, windowSeconds: 60 } as const;

/**
 * One refused delivery to an endpoint. The network's window is hit first: a network already over
 * its limit spends nothing of the endpoint's. Without a known network only the endpoint counts.
 */
export async function limitRefusedDelivery(db: Db, input: { endpointId: string; networkHash: string | null; now?: Date }): Promise<void> {
  if (input.networkHash) await hitRateLimit(db, { key: `inboundRefused:network:${input.networkHash}`, ...REFUSED_DELIVERIES, now: input.now });
  await hitRateLimit(db, { key: `inboundRefused:endpoint:${input.endpointId}`, ...REFUSED_DELIVERIES, now: input.now });
}

/** Forgets windows, and sign-in failures, older than a day. */
export async function pruneRateLimits(db: Db, now = new Date()): Promise<void> {
  const dayAgo = new Date(now.getTime() - 86_400_000);
  await db.delete(rateLimits).where(lt(rateLimits.windowStart, dayAgo));
  await db.delete(signInFailures).where(lt(signInFailures.failedAt, dayAgo));
}
