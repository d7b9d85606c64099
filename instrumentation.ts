export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { authSecret } = await import("./server/env");
  // Fail at start-up, not on the first sign-in, when production has no secret.
  authSecret();
  const { getDb } = await import("./server/db");
  await getDb();
}
