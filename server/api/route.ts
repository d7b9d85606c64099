import type { z } from "zod";
import type { Db } from "@/db/client";
import type { Actor } from "@/server/events/actor";
import type { ServiceContext } from "@/server/kernel/context";
import type { ApiKeyRef } from "@/server/services/integrations/api-keys";

export type Method = "GET" | "POST" | "DELETE";
/** Clinic keys reach a clinic's data; platform keys (no clinic) reach the partner program. */
export type KeyAudience = "clinic" | "platform";

export type RouteContext<P, Q, B> = {
  db: Db;
  actor: Actor;
  key: ApiKeyRef;
  /** The key's clinic; for platform routes, null. */
  clinicId: string;
  /** The (ctx, input) contract's context for the service this route calls. */
  service: ServiceContext;
  params: P;
  query: Q;
  body: B;
  idempotencyKey: string | null;
};

type AnyObject = z.ZodObject<z.ZodRawShape>;

/**
 * One REST route: what it takes (the shared zod schemas), what it answers, who may call it, and
 * the service call in between. The route table drives the dispatcher, the OpenAPI document and
 * the tenancy tests alike, so a new route is documented and tested by being listed.
 */
export type Route<P extends AnyObject = AnyObject, Q extends AnyObject = AnyObject, B extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> = {
  method: Method;
  /** OpenAPI style, under /api/v1: "/patients/{id}". */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  audience: KeyAudience;
  scope: "read" | "write";
  /** Rule N2: required on a POST that changes money or creates an order, redemption or patient. */
  idempotency: "required" | "optional" | "none";
  /**
   * The answer carries a secret or a token (a signing secret, a status token): the Idempotency-Key
   * store keeps it sealed, so its row holds no plaintext while a replay still answers it (issue 19).
   */
  answerHoldsSecret?: true;
  params?: P;
  query?: Q;
  body?: B;
  bodyExample?: unknown;
  status: 200 | 201;
  response: R;
  responseExample: unknown;
  /** Refusals this route answers besides the ones every route can (401, 403, 429). */
  errors: number[];
  /** The audit entry's target, when the call is about one thing. */
  target: { type: string; id?: (params: z.output<P>, result: z.output<R>) => string | null | undefined };
  handler: (ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>>) => Promise<z.input<R>>;
};

export function route<P extends AnyObject, Q extends AnyObject, B extends z.ZodType, R extends z.ZodType>(definition: Route<P, Q, B, R>): Route {
  return definition as unknown as Route;
}
