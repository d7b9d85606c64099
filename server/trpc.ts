import { initTRPC, TRPCError } from "@trpc/server";
import superjson, { type SuperJSONResult } from "superjson";
import { z, ZodError } from "zod";
import type { Db } from "@/db/client";
import { type Audience, authorize, type SignedInAudience } from "./auth/guard";
import { DomainError } from "@/server/kernel/errors";
import type { Fingerprint } from "@/server/services/referrals/fraud";
import type { PaymentProvider } from "@/server/services/orders/payment-provider";
import type { SessionRef } from "@/server/auth/sessions";

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

export type { Audience } from "./auth/guard";
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

/** The one guard (server/auth/guard.ts) as a procedure's middleware; a refusal becomes the matching tRPC error. */
function guarded<A extends SignedInAudience>(audience: A) {
  return t.procedure
    .meta({ audience })
    .use(domainErrors)
    .use(async ({ ctx, next }) => {
      const result = await authorize(ctx.db, await ctx.session(), audience);
      if (!result.ok) throw new TRPCError({ code: result.status === 401 ? "UNAUTHORIZED" : "FORBIDDEN", message: result.message });
      const { user, sessionId, clinicId, actor } = result;
      // The (ctx, input) contract's context: what every service call from this procedure takes.
      const service = { db: ctx.db, actor, clinicId };
      return next({ ctx: { user, userId: user.id, sessionId, clinicId, actor, service } });
    });
}

export const patientProcedure = guarded("patient");
export const staffProcedure = guarded("staff");
export const adminProcedure = guarded("admin");
export const platformProcedure = guarded("platform");
/** The caller's own account (password, sessions, second factor): open before a required second factor is set up. */
export const accountProcedure = guarded("account");
