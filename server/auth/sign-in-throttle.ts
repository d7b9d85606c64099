import { createHmac } from "node:crypto";
import { and, count, eq, gt, isNull, max, min, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { signInFailures } from "@/db/schema";
import { authSecret } from "@/server/env";

export const FAILURE_WINDOW_MS = 15 * 60_000;
/** Failures of one email from one network before each further try waits. */
export const FREE_FAILURES = 5;
/** Failures from one network, whatever the emails, before it waits out the window. */
export const NETWORK_FAILURES = 30;
const FIRST_DELAY_MS = 30_000;

/** The email as the throttle knows it: a keyed hash, the same for an address with or without accounts. */
export const emailKey = (email: string) => createHmac("sha256", authSecret()).update(`sign-in:${email.trim().toLowerCase()}`).digest("hex").slice(0, 40);

/** After the 5th failure 30 s, then doubling with each further failure, never past the window. */
export const delayAfter = (failures: number) => (failures < FREE_FAILURES ? 0 : Math.min(FIRST_DELAY_MS * 2 ** (failures - FREE_FAILURES), FAILURE_WINDOW_MS));

export type Attempt = { ok: true; attemptId: string } | { ok: false; retryAfterSeconds: number };

/**
 * Rule N6: a sign-in may go ahead unless its email has failed 5 times within 15 minutes from
 * this same network (then each try waits a growing delay after the last failure), or the network
 * has failed 30 times. Failures from other networks never count, so a stranger cannot make the
 * right password fail for its owner. The attempt is written as a failure before the password is
 * checked (under a lock per email and network), so a burst of parallel guesses is counted too.
 */
export async function beginSignIn(db: Db, input: { email: string; networkHash: string | null; now?: Date }): Promise<Attempt> {
  const now = input.now ?? new Date();
  const key = emailKey(input.email);
  const since = new Date(now.getTime() - FAILURE_WINDOW_MS);
  const network = input.networkHash ? eq(signInFailures.networkKey, input.networkHash) : isNull(signInFailures.networkKey);
  return db.transaction(async (tx) => {
    // Every instance takes the same lock, so the count it reads is the one it adds to.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`sign-in:${key}:${input.networkHash ?? ""}`}, 0))`);
    if (input.networkHash) {
      const [net] = await tx
        .select({ failures: count(), oldest: min(signInFailures.failedAt) })
        .from(signInFailures)
        .where(and(network, gt(signInFailures.failedAt, since)));
      if (net && net.failures >= NETWORK_FAILURES && net.oldest) return refuse(new Date(net.oldest).getTime() + FAILURE_WINDOW_MS, now);
    }
    const [mine] = await tx
      .select({ failures: count(), last: max(signInFailures.failedAt) })
      .from(signInFailures)
      .where(and(eq(signInFailures.emailKey, key), network, gt(signInFailures.failedAt, since)));
    const delay = delayAfter(mine?.failures ?? 0);
    if (delay && mine?.last && new Date(mine.last).getTime() + delay > now.getTime()) return refuse(new Date(mine.last).getTime() + delay, now);
    const [row] = await tx.insert(signInFailures).values({ emailKey: key, networkKey: input.networkHash, failedAt: now }).returning({ id: signInFailures.id });
    if (!row) throw new Error("sign-in attempt insert returned nothing");
    return { ok: true as const, attemptId: row.id };
  });
}

function refuse(until: number, now: Date): Attempt {
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)) };
}

/** The password matched: this email's failures from this network are forgiven, the attempt with them. */
export async function signInSucceeded(db: Db, input: { email: string; networkHash: string | null }): Promise<void> {
  const network = input.networkHash ? eq(signInFailures.networkKey, input.networkHash) : isNull(signInFailures.networkKey);
  await db.delete(signInFailures).where(and(eq(signInFailures.emailKey, emailKey(input.email)), network));
}
