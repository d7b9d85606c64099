import { initTRPC, TRPCError } from "@trpc/server";
import superjson, { type SuperJSONResult } from "superjson";
import { z, ZodError } from "zod";
import type { Db } from "@/db/client";
import type { Role } from "./auth/roles";
import { env } from "./env";
import { type Actor, patientActor, staffActor } from "./events/actor";
import { loadActor } from "./services/accounts";
import { DomainError } from "./services/errors";
import type { Fingerprint } from "./services/fraud";
import type { PaymentProvider } from "./services/payments";
import { checkSession, type SessionRef } from "./services/sessions";
import { secondFactorMissing } from "./services/two-factor";

export type Context = {
  db: Db;
  payments: PaymentProvider;
  /** The session token's user and session ids, only when a procedure needs them (it costs a JWT decode); not yet checked. */
  session: () => Promise<SessionRef | null>;
  /** The signed-in user's id while their session stands, for public procedures that adapt to a signed-in caller. */
  sessionUserId: () => Promise<string | null>;
  /** Request cookies, for the attribution cookie at sign-up (rule P5). */
  cookie: (name: string) => string | null;
  /** Keyed hashes of the caller's network and device, for rule P6's fraud signals. */
  fingerprint: Fingerprint;
};

/** Who may call a procedure; read by the router-wide access test. "account": anyone signed in, for their own account. */
export type Audience = "public" | "account" | "patient" | "staff" | "admin" | "platform";
type Meta = { audience: Audience };

/**
 * superjson's envelope: `{ json }`, with `meta` when the value holds dates or other non-JSON
 * types; `{}` is the envelope of no input (its `json: undefined` is dropped on the wire).
 */
const isEnvelope = (value: unknown): value is SuperJSONResult =>
  typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).every((k) => k === "json" || k === "meta");

/**
 * The app's own client speaks superjson both ways. An integrator's plain HTTP call may send its
 * input as plain JSON (`{"name":"…"}`) instead of `{"json":{…}}`: both are read. Answers are
 * always superjson's `{ json }`, so dates stay dates for the app's client.
 */
const transformer = {
  input: { serialize: (value: unknown) => superjson.serialize(value), deserialize: (value: unknown) => (isEnvelope(value) ? superjson.deserialize(value) : value) },
  output: { serialize: (value: unknown) => superjson.serialize(value), deserialize: (value: unknown) => superjson.deserialize(value as SuperJSONResult) },
};

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer,
    errorFormatter({ shape, error }) {
      const zodError = error.cause instanceof ZodError ? z.flattenError(error.cause) : null;
      const internal = error.code === "INTERNAL_SERVER_ERROR";
      return {
        ...shape,
        // Never a raw exception message to a user.
        message: internal
          ? "Something went wrong on our side. Please try again in a moment."
          : error.cause instanceof ZodError
            ? (error.cause.issues[0]?.message ?? "Please check what you entered.")
            : shape.message,
        data: {
          ...shape.data,
          stack: undefined,
          zodError,
          field: error.cause instanceof DomainError ? (error.cause.field ?? null) : null,
        },
      };
    },
  });

export const createCallerFactory = t.createCallerFactory;
export const router = t.router;

/** One mapping from domain errors to tRPC errors. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  return result;
});

export const publicProcedure = t.procedure.meta({ audience: "public" }).use(domainErrors);

const ENDED = "Your session has ended. Please sign in again.";
// Rule N6: platform admins enrol a second factor before the platform area opens, in production.
const PLATFORM_SECOND_FACTOR = env.NODE_ENV === "production";

function requireRole(audience: Exclude<Audience, "public">, allowed: readonly Role[], opts: { secondFactorGate: boolean }) {
  // Patients never need a second factor; staff and platform procedures may.
  const gated = opts.secondFactorGate && allowed.some((role) => role !== "patient");
  return t.procedure
    .meta({ audience })
    .use(domainErrors)
    .use(async ({ ctx, next }) => {
      const session = await ctx.session();
      if (!session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in to continue." });
      // Role, clinic and the session itself come from the database on every call, so a change applies at once (rule N6).
      const [live, user, needsSecondFactor] = await Promise.all([
        checkSession(ctx.db, session),
        loadActor(ctx.db, session.userId),
        gated ? secondFactorMissing(ctx.db, session.userId, { platform: PLATFORM_SECOND_FACTOR }) : false,
      ]);
      if (!live || !user) throw new TRPCError({ code: "UNAUTHORIZED", message: ENDED });
      if (!allowed.includes(user.role)) {
        throw new TRPCError({ code: "FORBIDDEN", message: "Your account does not have access to this." });
      }
      if (needsSecondFactor) throw new TRPCError({ code: "FORBIDDEN", message: "Set up two-factor sign-in on your account security page first." });
      return next({ ctx: { user, userId: user.id, sessionId: session.sessionId } });
    });
}

function requireClinicRole(audience: "patient" | "staff" | "admin", allowed: readonly Role[]) {
  return requireRole(audience, allowed, { secondFactorGate: true }).use(({ ctx, next }) => {
    // Rule N1: every clinic procedure is fixed to the caller's own clinic.
    const clinicId = ctx.user.clinicId;
    if (!clinicId) throw new TRPCError({ code: "FORBIDDEN", message: "Your account does not belong to a clinic." });
    // Who acts, as services, the audit log and the event log take it.
    const actor: Actor = ctx.user.role === "patient" ? patientActor(ctx.user.id, clinicId) : staffActor(ctx.user.id, clinicId);
    return next({ ctx: { clinicId, actor } });
  });
}

export const patientProcedure = requireClinicRole("patient", ["patient"]);
export const staffProcedure = requireClinicRole("staff", ["staff", "admin"]);
export const adminProcedure = requireClinicRole("admin", ["admin"]);
export const platformProcedure = requireRole("platform", ["platform_admin"], { secondFactorGate: true }).use(({ ctx, next }) =>
  next({ ctx: { actor: staffActor(ctx.user.id, null) } }),
);
/** The caller's own account (password, sessions, second factor): open before a required second factor is set up. */
export const accountProcedure = requireRole("account", ["patient", "staff", "admin", "platform_admin"], { secondFactorGate: false });
