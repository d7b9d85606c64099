import type { NextRequest } from "next/server";
import { getDb } from "@/server/db";
import { authSecret } from "@/server/env";
import { randomUUID } from "node:crypto";
import { clickFromRequest, DEVICE_COOKIE } from "@/server/services/clicks";
import { attributionCookieName, openReferralLink } from "@/server/services/referrals";
import { inactiveLinkPage, landingPage } from "./view";

export const dynamic = "force-dynamic";

const HEADERS = {
  "content-type": "text/html; charset=utf-8",
  // Each opening is a click to record and a cookie to set: never served from a cache.
  "cache-control": "private, no-store",
  "x-robots-tag": "noindex",
};

/** Rules P1 and P4: the invitation behind every shared link; records the click, sets the cookie. */
export async function GET(request: NextRequest, { params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const landing = await openReferralLink(await getDb(), code, clickFromRequest(request.nextUrl, request.headers, authSecret()));
  if (landing.kind === "unknown" || landing.kind === "rotated") {
    return new Response(inactiveLinkPage(), { status: 404, headers: HEADERS });
  }
  const headers = new Headers(HEADERS);
  if (landing.kind === "active") {
    const secure = request.nextUrl.protocol === "https:" ? "; Secure" : "";
    const maxAge = landing.attributionWindowDays * 24 * 60 * 60;
    headers.append("set-cookie", `${attributionCookieName(landing.clinic.slug)}=${landing.code}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure}`);
    // Rule P6: a first-party id for this browser, so a referee on the referrer's own device is flagged.
    if (!request.cookies.get(DEVICE_COOKIE)) {
      headers.append("set-cookie", `${DEVICE_COOKIE}=${randomUUID()}; Path=/; Max-Age=${400 * 24 * 60 * 60}; HttpOnly; SameSite=Lax${secure}`);
    }
  }
  return new Response(landingPage(landing), { status: 200, headers });
}
