/**
 * Rule N3: logs are structured and redacted. An error is logged by its kind only: name, code
 * (a PostgreSQL SQLSTATE), constraint and where it was thrown, never its message, because a
 * database error's message and fields carry the query and its parameters (emails, hashes).
 */
export type ErrorSummary = { name: string; message?: string; code?: string; constraint?: string; digest?: string; at?: string[]; cause?: ErrorSummary };

const SAFE_CODE = /^[A-Za-z0-9_]{1,40}$/;

export function summarizeError(error: unknown, depth = 0): ErrorSummary {
  if (!(error instanceof Error)) return { name: typeof error };
  const fields = error as Error & { code?: unknown; constraint_name?: unknown; constraint?: unknown; digest?: unknown };
  // Libraries that name their errors (PostgresError) keep that name through bundling; the rest go by class.
  const summary: ErrorSummary = { name: error.name !== "Error" ? error.name : error.constructor?.name || error.name };
  // A configuration problem's message names settings, never data: the operator needs it.
  if (error.name === "ConfigurationError") summary.message = error.message;
  if (typeof fields.code === "string" && SAFE_CODE.test(fields.code)) summary.code = fields.code;
  const constraint = fields.constraint_name ?? fields.constraint;
  if (typeof constraint === "string" && SAFE_CODE.test(constraint)) summary.constraint = constraint;
  // Next.js shows this id on the error page, so a report can be matched to its log line.
  if (typeof fields.digest === "string" && SAFE_CODE.test(fields.digest)) summary.digest = fields.digest;
  // Stack frames name files and lines only; the first line (the message) is left out.
  const frames = error.stack?.split("\n").filter((line) => /^\s+at /.test(line)).slice(0, 5).map((line) => line.trim());
  if (frames?.length) summary.at = frames;
  if (error.cause !== undefined && depth < 3) summary.cause = summarizeError(error.cause, depth + 1);
  return summary;
}

/** One JSON line on stderr: where it happened (a route or procedure name) and what kind of error. */
export function logError(scope: string, error: unknown, context: Record<string, string | number> = {}): void {
  console.error(JSON.stringify({ level: "error", time: new Date().toISOString(), scope, ...context, error: summarizeError(error) }));
}

/**
 * Errors Next.js logs itself (a page or route that threw) pass through console.error too: each
 * Error among the arguments is replaced by its summary, so no message or SQL parameter is printed.
 */
export function redactConsoleErrors(): void {
  const original = console.error.bind(console);
  console.error = (...args: unknown[]) => original(...args.map((arg) => (arg instanceof Error ? JSON.stringify({ error: summarizeError(arg) }) : arg)));
}
