import type { Db } from "@/db/client";
import { env } from "@/server/env";
import { type Actor, patientActor, staffActor } from "@/server/events/actor";
import { loadActor } from "./accounts";
import { checkSession, type SessionRef } from "./sessions";
import { secondFactorMissing } from "./two-factor";
import type { Role } from "./roles";

/** Who may call a procedure or a file route; read by the router-wide access test. "account": anyone signed in, for their own account. */
export type Audience = "public" | "account" | "patient" | "staff" | "admin" | "platform";
export type SignedInAudience = Exclude<Audience, "public">;
type ClinicAudience = "patient" | "staff" | "admin";

export const AUDIENCE_ROLES: Record<SignedInAudience, readonly Role[]> = {
  account: ["patient", "staff", "admin", "platform_admin"],
  patient: ["patient"],
  staff: ["staff", "admin"],
  admin: ["admin"],
  platform: ["platform_admin"],
};

// Rule N6: platform admins enrol a second factor before the platform area opens, in production.
const PLATFORM_SECOND_FACTOR = env.NODE_ENV === "production";

export type Authorized<A extends SignedInAudience = SignedInAudience> = {
  ok: true;
  user: NonNullable<Awaited<ReturnType<typeof loadActor>>>;
  sessionId: string;
  /** The caller's own clinic (rule N1): always set for clinic audiences. */
  clinicId: A extends ClinicAudience ? string : string | null;
  /** Who acts, as services, the audit log and the event log take it. */
  actor: Actor;
};

export type Refusal = {
  ok: false;
  status: 401 | 403;
  reason: "signed_out" | "ended" | "role" | "no_clinic" | "second_factor";
  /** The signed-in user's role when known, so a page can send them home. */
  role: Role | null;
  message: string;
};

const refuse = (status: 401 | 403, reason: Refusal["reason"], message: string, role: Role | null = null): Refusal => ({ ok: false, status, reason, role, message });

/**
 * The one guard of pages, procedures and file routes (rules N1, N6): the session still stands,
 * the account is live, its role is allowed, a clinic audience has its clinic, and staff and
 * platform callers have the second factor their clinic or the platform requires.
 */
export async function authorize<A extends SignedInAudience>(db: Db, session: SessionRef | null, audience: A): Promise<Authorized<A> | Refusal> {
  if (!session) return refuse(401, "signed_out", "Please sign in to continue.");
  const allowed = AUDIENCE_ROLES[audience];
  // Patients never need a second factor; the caller's own account pages are open before it is set up.
  const gated = audience !== "account" && allowed.some((role) => role !== "patient");
  // Role, clinic and the session itself come from the database on every call, so a change applies at once (rule N6).
  const [live, user, needsSecondFactor] = await Promise.all([
    checkSession(db, session),
    loadActor(db, session.userId),
    gated ? secondFactorMissing(db, session.userId, { platform: PLATFORM_SECOND_FACTOR }) : false,
  ]);
  if (!live || !user) return refuse(401, "ended", "Your session has ended. Please sign in again.");
  if (!allowed.includes(user.role)) return refuse(403, "role", "Your account does not have access to this.", user.role);
  if (needsSecondFactor) return refuse(403, "second_factor", "Set up two-factor sign-in on your account security page first.", user.role);
  const clinicAudience = audience === "patient" || audience === "staff" || audience === "admin";
  // Rule N1: every clinic call is fixed to the caller's own clinic.
  if (clinicAudience && !user.clinicId) return refuse(403, "no_clinic", "Your account does not belong to a clinic.", user.role);
  const actor = user.role === "patient" && user.clinicId ? patientActor(user.id, user.clinicId) : staffActor(user.id, user.clinicId);
  return { ok: true, user, sessionId: session.sessionId, clinicId: user.clinicId as Authorized<A>["clinicId"], actor };
}

/** A refusal as a file route's answer: plain text, never cached. */
export function refusalResponse(refusal: Refusal): Response {
  return new Response(refusal.message, { status: refusal.status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}
