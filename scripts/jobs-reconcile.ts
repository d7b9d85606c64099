import { connectPglite, connectPostgres, embeddedDataDir } from "@/db/client";
import { migrateDatabase } from "@/server/migrate";
import { RECONCILE_JOB_ACTOR, reconcilePendingOrders } from "@/server/services/orders/settle";
import { paymentProviderFor } from "@/server/services/orders/providers";

// `npm run jobs:reconcile`: settle pending card orders from what the payment provider says
// (paid, or canceled and their credit returned). Safe to repeat; the scheduler runs it every 5 minutes.
const handle = process.env.DATABASE_URL ? await connectPostgres(process.env.DATABASE_URL) : await connectPglite(embeddedDataDir());
await migrateDatabase(handle);
const payments = paymentProviderFor(handle.db, { stripeSecretKey: process.env.STRIPE_SECRET_KEY, stripeApiBase: process.env.STRIPE_API_BASE });
const result = await reconcilePendingOrders({ db: handle.db, actor: RECONCILE_JOB_ACTOR, clinicId: null }, payments);
await handle.close();
for (const error of result.errors) console.error(error);
console.log(`reconciliation: ${result.paid} order(s) paid, ${result.declined} declined and released, ${result.pending} still pending, ${result.errors.length} error(s)`);
if (result.errors.length) process.exitCode = 1;
