import { expect } from "vitest";

type Cause = { code?: unknown; constraint_name?: unknown; constraint?: unknown; cause?: unknown };

/** The SQLSTATE and constraint of a database error, however Drizzle and the driver (postgres.js, PGlite) wrap it. */
export function pgError(error: unknown): { code?: string; constraint?: string } {
  let current = error as Cause | undefined;
  while (current) {
    if (typeof current.code === "string" && /^[0-9A-Z]{5}$/.test(current.code)) {
      const constraint = current.constraint_name ?? current.constraint;
      return { code: current.code, ...(typeof constraint === "string" && { constraint }) };
    }
    current = current.cause as Cause | undefined;
  }
  return {};
}

/** Asserts that the database itself refused, with this SQLSTATE (and constraint, when named). */
export async function expectRefusedBy(promise: Promise<unknown>, expected: { code: string; constraint?: string }) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, "the database accepted what it should refuse").not.toBeNull();
  expect(pgError(error)).toMatchObject(expected);
}

export const SQLSTATE = { uniqueViolation: "23505", checkViolation: "23514", integrityViolation: "23000" } as const;
