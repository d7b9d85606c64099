import { randomUUID } from "node:crypto";
import type { NextRequest } from "next/server";
import { getDb } from "@/server/db";
import { authSecret, env } from "@/server/env";
import { isHttps } from "@/server/http/forwarded";
import { COMMON_SECURITY_HEADERS, HSTS } from "@/server/http/security-headers";
import { logError } from "@/server/log";
import { clickFromRequest, DEVICE_COOKIE } from "@/server/http/clicks";
import { demoBannerShown } from "@/server/demo/banner";
import { landingCacheFor } from "@/server/services/referrals/landing-cache";
import { attributionCookieName, attributionCookieValue, openReferralLink } from "@/server/services/referrals/referrals";
import { failurePage, pageFor, type LandingPage } from "./view";

export const dynamic = "force-dynamic";

// Built once: the hot path copies a constant instead of running the page proxy (item 19).
const HEADERS: Record<string, string> = {
  "content-type": "text/html; charset=utf-8",
  // Each opening is a click to record and a cookie to set: never served from a cache.
  "cache-control": "private, no-store",
  "x-robots-tag": "noindex",
  ...COMMON_SECURITY_HEADERS,
};

// No script at all; the page's stylesheets (the clinic's colours are one) by their hashes.
function respond(page: LandingPage, status: number, headers: Headers): Response {
  headers.set("content-security-policy", page.csp);
  return new Response(page.html, { status, headers });
}

/** Rules P1 and P4: the invitation behind every shared link; records the click, sets the cookie. */
export async function GET(request: NextRequest, { params }: { params: Promise<{ code: string }> }) {
  const https = isHttps(request.nextUrl, request.headers, env.TRUSTED_PROXY_HOPS);
  const headers = new Headers(HEADERS);
  if (https) headers.set("strict-transport-security", HSTS);
  try {
    const { code } = await params;
    const db = await getDb();
    const click = clickFromRequest(request.nextUrl, request.headers, authSecret());
    // The code's lookup may come from the process's cache (at most 5 s old); the click is always stored before we answer.
    const [landing, demo] = await Promise.all([openReferralLink({ db }, { code, click, cache: landingCacheFor(db) }), demoBannerShown(db)]);
    if (landing.kind === "unknown" || landing.kind === "rotated") {
      return respond(pageFor(landing, { demo }), 404, headers);
    }
    if (landing.kind === "active") {
      const secure = https ? "; Secure" : "";
      const maxAge = landing.attributionWindowDays * 24 * 60 * 60;
      headers.append("set-cookie", `${attributionCookieName(landing.clinic.slug)}=${attributionCookieValue(landing.code, new Date())}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure}`);
      // Rule P6: a first-party id for this browser, so a referee on the referrer's own device is flagged.
      if (!request.cookies.get(DEVICE_COOKIE)) {
        headers.append("set-cookie", `${DEVICE_COOKIE}=${randomUUID()}; Path=/; Max-Age=${400 * 24 * 60 * 60}; HttpOnly; SameSite=Lax${secure}`);
      }
    }
    return respond(pageFor(landing, { demo }), 200, headers);
  } catch (error) {
    // Rule N3: the route and the error's kind, never the query string or the SQL parameters.
    logError("GET /r/[code]", error);
    return respond(failurePage(), 500, headers);
  }
}
