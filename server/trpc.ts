import { initTRPC, type TRPC_ERROR_CODE_KEY, TRPCError } from "@trpc/server";
import superjson, { type SuperJSONResult } from "superjson";
import { z, ZodError } from "zod";
import type { Db } from "@/db/client";
import { type Audience, authorize, type SignedInAudience } from "./auth/guard";
import { DomainError, type DomainErrorKind } from "@/server/kernel/errors";
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

/**
 * The one mapping from the domain's failures to tRPC's codes (the REST twin is PROBLEM_OF in
 * server/api/problem.ts). `limited` is answered 429 with Retry-After by server/http/trpc.ts.
 */
export const TRPC_CODE_OF = {
  invalid: "BAD_REQUEST",
  refused: "FORBIDDEN",
  not_found: "NOT_FOUND",
  conflict: "CONFLICT",
  precondition: "PRECONDITION_FAILED",
  limited: "TOO_MANY_REQUESTS",
} as const satisfies Record<DomainErrorKind, TRPC_ERROR_CODE_KEY>;

/** A service's DomainError becomes the matching TRPCError, keeping the DomainError as its cause. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: TRPC_CODE_OF[cause.kind], message: cause.message, cause });
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
