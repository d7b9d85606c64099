import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import type { Db } from "@/db/client";
import type { Role } from "./auth/roles";
import { loadActor } from "./services/accounts";
import { DomainError } from "./services/errors";
import type { Fingerprint } from "./services/fraud";
import type { PaymentProvider } from "./services/payments";

export type Context = {
  db: Db;
  payments: PaymentProvider;
  /** Resolves the signed-in user's id, only when a procedure needs it (it costs a JWT decode). */
  sessionUserId: () => Promise<string | null>;
  /** Request cookies, for the attribution cookie at sign-up (rule P5). */
  cookie: (name: string) => string | null;
  /** Keyed hashes of the caller's network and device, for rule P6's fraud signals. */
  fingerprint: Fingerprint;
};

/** Who may call a procedure; read by the router-wide access test. */
export type Audience = "public" | "patient" | "staff" | "admin" | "platform";
type Meta = { audience: Audience };

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
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

function requireRole(audience: Exclude<Audience, "public">, allowed: readonly Role[]) {
  return t.procedure
    .meta({ audience })
    .use(domainErrors)
    .use(async ({ ctx, next }) => {
      const userId = await ctx.sessionUserId();
      if (!userId) throw new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in to continue." });
      // Role and clinic come from the database on every call, so a change applies at once.
      const actor = await loadActor(ctx.db, userId);
      if (!actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "Your session has ended. Please sign in again." });
      if (!allowed.includes(actor.role)) {
        throw new TRPCError({ code: "FORBIDDEN", message: "Your account does not have access to this." });
      }
      return next({ ctx: { actor, userId: actor.id } });
    });
}

function requireClinicRole(audience: "patient" | "staff" | "admin", allowed: readonly Role[]) {
  return requireRole(audience, allowed).use(({ ctx, next }) => {
    // Rule N1: every clinic procedure is fixed to the caller's own clinic.
    const clinicId = ctx.actor.clinicId;
    if (!clinicId) throw new TRPCError({ code: "FORBIDDEN", message: "Your account does not belong to a clinic." });
    return next({ ctx: { clinicId } });
  });
}

export const patientProcedure = requireClinicRole("patient", ["patient"]);
export const staffProcedure = requireClinicRole("staff", ["staff", "admin"]);
export const adminProcedure = requireClinicRole("admin", ["admin"]);
export const platformProcedure = requireRole("platform", ["platform_admin"]);
