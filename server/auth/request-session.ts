import { getToken } from "next-auth/jwt";
import { authSecret, env } from "@/server/env";
import { isHttps } from "@/server/http/forwarded";
import type { SessionRef } from "./sessions";

/**
 * What a file route's request says about its session: the next-auth cookie's signed token,
 * decoded exactly as the sign-in wrote it (the Secure cookie name over https), not yet checked
 * against the database; `authorize` checks it. Only the cookie counts, never an Authorization header.
 */
export async function requestSession(request: Request): Promise<SessionRef | null> {
  const secureCookie = isHttps(new URL(request.url), request.headers, env.TRUSTED_PROXY_HOPS);
  const token = await getToken({ req: { headers: { cookie: request.headers.get("cookie") ?? "" } }, secret: authSecret(), secureCookie });
  const userId = typeof token?.sub === "string" ? token.sub : null;
  const sessionId = typeof token?.sid === "string" ? token.sid : null;
  return userId && sessionId ? { userId, sessionId } : null;
}
