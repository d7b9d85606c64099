export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Rule N3 (item 11): whatever logs an error, its message and SQL parameters stay out of the log.
  (await import("./server/log")).redactConsoleErrors();
  const { authSecret } = await import("./server/env");
  // Fail at start-up, not on the first sign-in, when production has no secret.
  authSecret();
  const { getDb } = await import("./server/db");
  await getDb();
}
