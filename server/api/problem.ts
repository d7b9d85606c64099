import type { ZodError } from "zod";
import type { DomainError, DomainErrorKind } from "@/server/kernel/errors";
import { RateLimited } from "@/server/kernel/rate-limit";

/** RFC 9457 problem details, as every REST error is answered. `field` names what to fix. */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  field?: string | null;
  errors?: { field: string; message: string }[];
};

/**
 * The one mapping from the domain's failures to problem+json (the tRPC twin is TRPC_CODE_OF in
 * server/trpc.ts): the status and the problem type's slug, which clients match on.
 */
export const PROBLEM_OF = {
  invalid: { status: 400, slug: "bad-request" },
  refused: { status: 403, slug: "forbidden" },
  not_found: { status: 404, slug: "not-found" },
  conflict: { status: 409, slug: "conflict" },
  precondition: { status: 412, slug: "precondition-failed" },
  limited: { status: 429, slug: "too-many-requests" },
} as const satisfies Record<DomainErrorKind, { status: number; slug: string }>;

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  409: "Conflict",
  412: "Precondition failed",
  422: "Unprocessable content",
  429: "Too many requests",
  500: "Internal server error",
};

/** Problem types are URNs: stable names a client can match on, not pages to fetch. */
export const PROBLEM_TYPE_BASE = "urn:referrals:problem:";

export function problem(status: number, slug: string, detail: string, extra: Partial<Problem> = {}): Problem {
  return { type: `${PROBLEM_TYPE_BASE}${slug}`, title: TITLES[status] ?? "Error", status, detail, ...extra };
}

export function problemFromDomain(error: DomainError): Problem {
  const { status, slug } = PROBLEM_OF[error.kind];
  return problem(status, slug, error.message, { field: error.field ?? null });
}

/** Rule N4: every issue, each naming its field as a dotted path ("items.0.quantity"). */
export function problemFromZod(error: ZodError, where: "body" | "query" | "path"): Problem {
  const errors = error.issues.map((issue) => ({ field: issue.path.map(String).join(".") || where, message: issue.message }));
  const first = errors[0] ?? { field: where, message: "Please check the request." };
  return problem(400, "validation", `${first.field}: ${first.message}`, { field: first.field, errors });
}

export function problemResponse(body: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store", ...headers },
  });
}

export function isRateLimited(error: unknown): error is RateLimited {
  return error instanceof RateLimited;
}
