import { logError } from "./log";

/**
 * What a server process does before it answers anyone: the secrets production needs, the
 * database (opened and migrated), the channel warning, and the in-process workers.
 */
export async function startServer(): Promise<void> {
  const { authSecret, encryptionKey, env } = await import("./env");
  // Fail at start-up, not on the first sign-in or the first webhook, when production has no secret.
  authSecret();
  encryptionKey();
  const { getDbHandle } = await import("./db");
  const handle = await getDbHandle();
  (await import("./messaging/channels")).warnIfNoChannels(env);
  if (env.IN_PROCESS_WORKERS === "true") {
    const { startWorkers } = await import("./jobs/worker");
    const { paymentProviderFor } = await import("@/server/services/orders/providers");
    await startWorkers(handle, { payments: paymentProviderFor(handle.db, { stripeSecretKey: env.STRIPE_SECRET_KEY, stripeApiBase: env.STRIPE_API_BASE }), schedule: true });
  }
}

/**
 * Issue 19 item 12: in production a start-up that fails stops the process with its reason and a
 * non-zero code, so a supervisor restarts it or raises the alarm; a server that keeps listening
 * would answer 500 to everything, /api/health included. Elsewhere the error is thrown as before.
 */
export async function startOrExit(options: { production: boolean; exit?: (code: number) => never }): Promise<void> {
  try {
    await startServer();
  } catch (error) {
    if (!options.production) throw error;
    // A ConfigurationError's message names the setting to fix; logError keeps it, and only it.
    logError("startup", error);
    (options.exit ?? process.exit)(1);
  }
}
