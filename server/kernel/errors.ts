/**
 * The domain's own vocabulary of failures (issue 21). Each kind is mapped once to a tRPC code
 * (server/trpc.ts) and once to a problem+json status (server/api/problem.ts):
 * - `invalid`: what was sent cannot be used as it is (a bad value, a broken link);
 * - `refused`: the caller may not do this, whatever they send;
 * - `not_found`: no such thing, or not one the caller may see (another clinic's looks the same);
 * - `conflict`: it clashes with what already exists (a taken address, a second of something unique);
 * - `precondition`: not now: something else must happen first (confirm an email, resume the program);
 * - `limited`: too many tries; thrown as `RateLimited` (server/kernel/rate-limit.ts), which says when to come back.
 */
export type DomainErrorKind = "invalid" | "refused" | "not_found" | "conflict" | "precondition" | "limited";

/** A failure the user can act on. Its message is written for the person who will read it. */
export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    /** The form field the message belongs to, when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

/** Postgres unique violation on the named constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = findPgError(error);
  return e?.code === "23505" && (!constraint || e.constraint_name === constraint || e.constraint === constraint);
}

type PgError = { code?: string; constraint_name?: string; constraint?: string };

function findPgError(error: unknown): PgError | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current === "object" && "code" in current && typeof (current as PgError).code === "string") {
      return current as PgError;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
