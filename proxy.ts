import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/server/env";
import { isHttps } from "@/server/http/forwarded";
import { COMMON_SECURITY_HEADERS, HSTS, newNonce, pageCsp } from "@/server/http/security-headers";

/**
 * Item 19: every page gets a CSP with this request's script nonce. Next.js reads the policy from
 * the request headers and puts the nonce on its own scripts, which is why pages render dynamically.
 */
export function proxy(request: NextRequest) {
  // Issue 19 item 10: a path whose percent-encoding is broken would fail Next's own decoding with a 500.
  if (!decodablePath(request.nextUrl.pathname)) return malformedPath(request.nextUrl.pathname);
  // API routes and the landing reach the proxy only for that check; their headers are set elsewhere.
  if (/^\/(api|r)\//.test(request.nextUrl.pathname)) return NextResponse.next();
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

function decodablePath(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

function malformedPath(pathname: string): Response {
  const detail = "The address has broken percent-encoding (a % not followed by a valid UTF-8 sequence). Check the link and try again.";
  if (pathname.startsWith("/api/")) {
    return Response.json({ type: "urn:referrals:problem:malformed-path", title: "Bad request", status: 400, detail, field: "path" }, { status: 400, headers: { "content-type": "application/problem+json", "cache-control": "no-store" } });
  }
  return new Response(detail, { status: 400, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}

export const config = {
  matcher: [
    // The referral landing sets its own static headers (the hot path, see bench/landing.ts); API
    // routes and build assets get theirs from next.config.ts.
    "/((?!api/|r/|_next/static/|_next/image|favicon.ico).*)",
    // API and landing paths with a percent sign come in only to have their encoding checked.
    "/(api|r)/(.*%.*)",
  ],
};
