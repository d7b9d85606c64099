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
  // Drizzle wraps the driver's error in `cause`; postgres.js names the constraint `constraint_name`, PGlite `constraint`.
  for (let current: unknown = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const e = current as { code?: unknown; constraint_name?: string; constraint?: string; message?: string };
    if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) return { code: e.code, constraint: e.constraint_name ?? e.constraint ?? null, message: e.message ?? "" };
  }
  throw new Error(`the statement failed, but not in the database: ${String(error)}`);
}
