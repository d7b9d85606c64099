import { expect } from "vitest";

type Cause = { code?: unknown; constraint_name?: unknown; constraint?: unknown; message?: unknown; cause?: unknown };

/** The SQLSTATE and constraint of a database error, however Drizzle and the driver (postgres.js, PGlite) wrap it. */
export function pgError(error: unknown): { code?: string; constraint?: string; message?: string } {
  let current = error as Cause | undefined;
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current.code === "string" && /^[0-9A-Z]{5}$/.test(current.code)) {
      const constraint = current.constraint_name ?? current.constraint;
      return { code: current.code, ...(typeof constraint === "string" && { constraint }), ...(typeof current.message === "string" && { message: current.message }) };
    }
    current = current.cause as Cause | undefined;
  }
  return {};
}

/** What Postgres said when it refused a statement: the SQLSTATE and the constraint it names. */
export type PgRefusal = { code: string; constraint: string | null; message: string };

/**
 * Runs `work`, which must be refused by the database, and returns the refusal, so a test can
 * name the constraint that did it instead of accepting any error at all.
 */
export async function pgRefusal(work: PromiseLike<unknown>): Promise<PgRefusal> {
  let error: unknown;
  try {
    await work;
  } catch (e) {
    error = e;
  }
  if (error === undefined) throw new Error("expected the database to refuse the statement, and it did not");
  const refusal = pgError(error);
  if (!refusal.code) throw new Error(`the statement failed, but not in the database: ${String(error)}`);
  return { code: refusal.code, constraint: refusal.constraint ?? null, message: refusal.message ?? "" };
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
