import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/server/env";
import { isHttps } from "@/server/http/forwarded";
import { COMMON_SECURITY_HEADERS, HSTS, newNonce, pageCsp } from "@/server/http/security-headers";

/**
 * Item 19: every page gets a CSP with this request's script nonce. Next.js reads the policy from
 * the request headers and puts the nonce on its own scripts, which is why pages render dynamically.
 */
export function proxy(request: NextRequest) {
  const https = isHttps(request.nextUrl, request.headers, env.TRUSTED_PROXY_HOPS);
  const nonce = newNonce();
  const csp = pageCsp(nonce, { https, dev: process.env.NODE_ENV === "development" });
  const forwarded = new Headers(request.headers);
  forwarded.set("content-security-policy", csp);
  forwarded.set("x-nonce", nonce);
  const response = NextResponse.next({ request: { headers: forwarded } });
  response.headers.set("content-security-policy", csp);
  for (const [name, value] of Object.entries(COMMON_SECURITY_HEADERS)) response.headers.set(name, value);
  if (https) response.headers.set("strict-transport-security", HSTS);
  return response;
}

export const config = {
  // The referral landing sets its own static headers (the hot path, see bench/landing.ts); API
  // routes and build assets get theirs from next.config.ts.
  matcher: ["/((?!api/|r/|_next/static/|_next/image|favicon.ico).*)"],
};
