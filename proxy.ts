import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/server/db";
import { authSecret } from "@/server/env";
import { clickFromRequest } from "@/server/services/clicks";
import { attributionCookieName, recordClick, resolveLanding } from "@/server/services/referrals";

/**
 * Rule P4: opening a referral link records the click and sets the clinic's first-party
 * attribution cookie. Cookies can only be set here or in a route handler, not while a page
 * renders; the page itself only shows the invitation.
 */
export async function proxy(request: NextRequest) {
  const response = NextResponse.next();
  if (request.method !== "GET" || request.headers.get("rsc") || request.headers.get("next-router-prefetch")) return response;
  const code = decodeURIComponent(request.nextUrl.pathname.split("/")[2] ?? "");
  const db = await getDb();
  const landing = await resolveLanding(db, code);
  // Rule P1: a paused program records nothing; unknown and rotated codes attribute nothing.
  if (landing.kind !== "active") return response;
  await recordClick(db, clickFromRequest(request.nextUrl, request.headers, { clinicId: landing.clinic.id, codeId: landing.codeId }, authSecret()));
  response.cookies.set(attributionCookieName(landing.clinic.slug), landing.code, {
    maxAge: landing.attributionWindowDays * 24 * 60 * 60,
    httpOnly: true,
    sameSite: "lax",
    secure: request.nextUrl.protocol === "https:",
    path: "/",
  });
  return response;
}

export const config = { matcher: "/r/:code" };
