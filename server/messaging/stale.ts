/**
 * Rule A2: news that late is noise. An event from before the last few days (history written
 * with a clock, as the demo's story is, or a replay) sets off no message, and a message still
 * unsent that long after it was due (a long outage) is kept as "expired" instead of going out.
 */
export const STALE_AFTER_MS = 3 * 24 * 60 * 60 * 1000;

export const isStale = (since: Date, now = new Date()) => now.getTime() - since.getTime() > STALE_AFTER_MS;
