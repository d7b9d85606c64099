import { connectPostgres } from "@/db/client";
import { startWorkers } from "@/server/jobs/worker";
import { paymentProviderFor } from "@/server/services/orders/providers";
import { FAST_TIMING } from "./queue";

/**
 * A worker process in miniature for the kill test (server/jobs/worker-kill.test.ts): the app's
 * own workers on the probe queue, with test timing, until it is killed.
 */
const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is needed");
const handle = await connectPostgres(url, { max: 2 });
await startWorkers(handle, { payments: paymentProviderFor(handle.db, {}), timing: FAST_TIMING, queues: ["queue.probe"], batchSize: 1 });
console.log("working");
