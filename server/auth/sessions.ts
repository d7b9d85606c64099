import { and, desc, eq, gt, isNull, lt, ne } from "drizzle-orm";
import type { Db } from "@/db/client";
import { authSessions } from "@/db/schema";

/** How long a sign-in lasts; the session token expires at the same age. */
export const SESSION_MAX_AGE_SECONDS = 60 * 60 * 12;
// Last use is a hint for the owner, not an audit: one write a minute per session at most.
const TOUCH_EVERY_MS = 60_000;

export type SessionRef = { userId: string; sessionId: string };

const BROWSERS: [RegExp, string][] = [
  [/Edg\//, "Edge"],
  [/OPR\/|Opera/, "Opera"],
  [/Firefox\//, "Firefox"],
  [/Chrome\/|CriOS\//, "Chrome"],
  [/Safari\//, "Safari"],
];
const SYSTEMS: [RegExp, string][] = [
  [/Android/, "Android"],
  [/iPhone|iPad|iPod/, "iOS"],
  [/Windows/, "Windows"],
  [/Mac OS X|Macintosh/, "macOS"],
  [/CrOS/, "ChromeOS"],
  [/Linux/, "Linux"],
];

/** "Chrome on macOS": enough for a person to recognise their own browsers, no more. */
export function deviceLabel(userAgent: string | null): string {
  const ua = userAgent ?? "";
  const browser = BROWSERS.find(([re]) => re.test(ua))?.[1] ?? "A browser";
  const system = SYSTEMS.find(([re]) => re.test(ua))?.[1];
  return system ? `${browser} on ${system}` : browser;
}

/** A new signed-in browser; its id goes into the session token. */
export async function openSession(db: Db, input: { userId: string; device: string }): Promise<string> {
  const [row] = await db.insert(authSessions).values(input).returning({ id: authSessions.id });
  if (!row) throw new Error("session insert returned nothing");
  return row.id;
}

/**
 * Rule N6: whether the browser's session still stands (not ended, not expired, this user's).
 * Called on every procedure; it writes only when last use is over a minute old, and then
 * conditionally, so concurrent calls of one browser write once.
 */
export async function checkSession(db: Db, ref: SessionRef, now = new Date()): Promise<boolean> {
  const [row] = await db
    .select({ lastUsedAt: authSessions.lastUsedAt, createdAt: authSessions.createdAt })
    .from(authSessions)
    .where(and(eq(authSessions.id, ref.sessionId), eq(authSessions.userId, ref.userId), isNull(authSessions.endedAt)));
  if (!row || now.getTime() - row.createdAt.getTime() > SESSION_MAX_AGE_SECONDS * 1000) return false;
  const stale = new Date(now.getTime() - TOUCH_EVERY_MS);
  if (row.lastUsedAt < stale) {
    await db
      .update(authSessions)
      .set({ lastUsedAt: now })
      .where(and(eq(authSessions.id, ref.sessionId), lt(authSessions.lastUsedAt, stale)));
  }
  return true;
}

/** Sign-out of one browser. */
export async function endSession(db: Db, sessionId: string, now = new Date()): Promise<void> {
  await db.update(authSessions).set({ endedAt: now }).where(and(eq(authSessions.id, sessionId), isNull(authSessions.endedAt)));
}

/**
 * Rule N6: a password change, a disabled account, a role change or "sign out everywhere" ends
 * every session of the account at once, except `keep` (the browser that asked), if given.
 * Pass the caller's transaction so the sessions end exactly when the change commits.
 */
export async function endSessionsOf(tx: Db, input: { userId: string; keep?: string | null }, now = new Date()): Promise<number> {
  const ended = await tx
    .update(authSessions)
    .set({ endedAt: now })
    .where(and(eq(authSessions.userId, input.userId), isNull(authSessions.endedAt), input.keep ? ne(authSessions.id, input.keep) : undefined))
    .returning({ id: authSessions.id });
  return ended.length;
}

/** The account's signed-in browsers, most recently used first, this one marked. */
export async function activeSessions(db: Db, ref: SessionRef, now = new Date()) {
  const since = new Date(now.getTime() - SESSION_MAX_AGE_SECONDS * 1000);
  const rows = await db
    .select({ id: authSessions.id, device: authSessions.device, createdAt: authSessions.createdAt, lastUsedAt: authSessions.lastUsedAt })
    .from(authSessions)
    .where(and(eq(authSessions.userId, ref.userId), isNull(authSessions.endedAt), gt(authSessions.createdAt, since)))
    .orderBy(desc(authSessions.lastUsedAt));
  return rows.map((row) => ({ ...row, current: row.id === ref.sessionId }));
}
