import { connectPostgres } from "@/db/client";
import { startWorkers } from "@/server/jobs/worker";
import { paymentProviderFor } from "@/server/services/orders/providers";
import { FAST_TIMING } from "./queue";

/**
 * A worker process for server/jobs/worker-kill-every-queue.test.ts: the app's own workers on
 * every queue, with test timing, until it is killed. Its pool has room for a job of each queue
 * held mid-job at once, besides the fetches.
 */
const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is needed");
const handle = await connectPostgres(url, { max: 40 });
await startWorkers(handle, { payments: paymentProviderFor(handle.db, {}), timing: FAST_TIMING, batchSize: 1 });
console.log("working");
