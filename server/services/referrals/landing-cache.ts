import type { Db } from "@/db/client";
import type { Landing } from "./referrals";

/** What a code leads to, and for an active one the referrer its clicks are credited to. */
export type LinkTarget = { landing: Landing; referrerId: string | null };

/** The longest a cached answer may be believed: a paused program shows within this (rule P1). */
export const LANDING_CACHE_MAX_MS = 5_000;

/**
 * A short memory of what each code leads to, so most landings skip the lookup's round trip.
 * Correctness never depends on it: an entry counts from before its query was sent, so it is
 * never older than the TTL, and sign-up checks the code in the database (rotation stops
 * attribution at once). Concurrent misses of one code share one query; failures are not kept.
 */
export class LandingCache {
  private entries = new Map<string, { until: number; target: Promise<LinkTarget> }>();

  constructor(
    private readonly ttlMs = LANDING_CACHE_MAX_MS,
    private readonly maxEntries = 10_000,
  ) {
    if (ttlMs > LANDING_CACHE_MAX_MS) throw new Error(`a landing may be cached for at most ${LANDING_CACHE_MAX_MS} ms`);
  }

  get(code: string, load: () => Promise<LinkTarget>, now = Date.now()): Promise<LinkTarget> {
    const entry = this.entries.get(code);
    if (entry && entry.until > now) return entry.target;
    if (entry) this.entries.delete(code);
    // Bounded: random codes cannot grow it without limit; the oldest entry goes first.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    const target = load();
    const fresh = { until: now + this.ttlMs, target };
    this.entries.set(code, fresh);
    target.catch(() => {
      if (this.entries.get(code) === fresh) this.entries.delete(code);
    });
    return target;
  }
}

const caches = new WeakMap<Db, LandingCache>();

/** The process's landing cache for a database. */
export function landingCacheFor(db: Db): LandingCache {
  let cache = caches.get(db);
  if (!cache) {
    cache = new LandingCache();
    caches.set(db, cache);
  }
  return cache;
}
