export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Rule N3 (item 11): whatever logs an error, its message and SQL parameters stay out of the log.
  (await import("./server/log")).redactConsoleErrors();
  const { authSecret, encryptionKey } = await import("./server/env");
  // Fail at start-up, not on the first sign-in or the first webhook, when production has no secret.
  authSecret();
  encryptionKey();
  const { getDbHandle } = await import("./server/db");
  const handle = await getDbHandle();
  const { env } = await import("./server/env");
  (await import("./server/messaging/channels")).warnIfNoChannels(env);
  if (env.IN_PROCESS_WORKERS === "true") {
    const { startWorkers } = await import("./server/jobs/worker");
    const { paymentProviderFor } = await import("./server/services/payment-providers");
    await startWorkers(handle, { payments: paymentProviderFor(handle.db, { stripeSecretKey: env.STRIPE_SECRET_KEY, stripeApiBase: env.STRIPE_API_BASE }), schedule: true });
  }
}
