import { encode } from "next-auth/jwt";
import type { Db } from "@/db/client";
import { authSecret } from "@/server/env";
import { openSession, SESSION_MAX_AGE_SECONDS } from "@/server/auth/sessions";

/** The session cookie's name on plain http, as Auth.js names it and signs with it. */
export const SESSION_COOKIE = "authjs.session-token";

/**
 * The Cookie header a browser sends after signing in as the user: a real session row, named by a
 * token sealed with the app's secret exactly as Auth.js's jwt callback writes it (sub, sid).
 */
export async function sessionCookie(db: Db, userId: string): Promise<string> {
  const sid = await openSession(db, { userId, device: "Test browser" });
  const token = await encode({ token: { sub: userId, sid }, secret: authSecret(), salt: SESSION_COOKIE, maxAge: SESSION_MAX_AGE_SECONDS });
  return `${SESSION_COOKIE}=${token}`;
}
