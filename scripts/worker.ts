import { connectPostgres } from "@/db/client";
import { migrateDatabase } from "@/server/migrate";
import { startWorkers } from "@/server/jobs/worker";
import { logError } from "@/server/log";
import { paymentProviderFor } from "@/server/services/orders/providers";

// `npm run worker`: works the job queues without serving pages, beside or instead of the app's
// own workers (IN_PROCESS_WORKERS=false). Stops cleanly on SIGTERM or SIGINT: jobs in hand finish first.
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("npm run worker needs DATABASE_URL: the embedded database allows one process, and the app already works its queues.");
  process.exit(2);
}
const handle = await connectPostgres(url);
await migrateDatabase(handle);
const payments = paymentProviderFor(handle.db, { stripeSecretKey: process.env.STRIPE_SECRET_KEY, stripeApiBase: process.env.STRIPE_API_BASE });
const workers = await startWorkers(handle, { payments, concurrency: Number(process.env.WORKER_CONCURRENCY ?? 2), schedule: true });
console.log(JSON.stringify({ level: "info", time: new Date().toISOString(), scope: "worker", message: "working the queues" }));

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(JSON.stringify({ level: "info", time: new Date().toISOString(), scope: "worker", message: `stopping on ${signal}: finishing the jobs in hand` }));
  try {
    await workers.stop();
    await handle.close();
    console.log(JSON.stringify({ level: "info", time: new Date().toISOString(), scope: "worker", message: `stopped on ${signal}` }));
    process.exit(0);
  } catch (error) {
    logError("worker", error);
    process.exit(1);
  }
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
