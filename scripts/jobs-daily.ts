import { connectPglite, connectPostgres, embeddedDataDir } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { runDailyJobs } from "@/server/services/b2b/jobs";
import { runPatientProgramDaily } from "@/server/services/expiry";
import { reconcilePendingOrders } from "@/server/services/order-payments";
import { paymentProviderFor } from "@/server/services/payment-providers";
import { rollUpAllClinics } from "@/server/services/stats-rollup";

// `npm run jobs:daily [-- YYYY-MM-DD]`: expire stale leads, grant due flat credits, settle pending
// card orders with the payment provider, expire patient rewards and send expiry reminders, store
// the dashboard's closed days (rule C1). Safe to repeat.
const asOf = process.argv[2] ?? new Date().toISOString().slice(0, 10);
if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) {
  console.error(`Give the day as YYYY-MM-DD, not "${asOf}".`);
  process.exit(2);
}
const handle = process.env.DATABASE_URL ? await connectPostgres(process.env.DATABASE_URL) : await connectPglite(embeddedDataDir());
await migrateDatabase(handle);
const result = await runDailyJobs(handle.db, asOf);
const payments = paymentProviderFor(handle.db, { stripeSecretKey: process.env.STRIPE_SECRET_KEY, stripeApiBase: process.env.STRIPE_API_BASE });
const orders = await reconcilePendingOrders(handle.db, payments);
for (const error of orders.errors) console.error(error);
const patients = await runPatientProgramDaily(handle.db, new Date(`${asOf}T23:59:59Z`));
const clinics = await rollUpAllClinics(handle.db);
await handle.close();
console.log(
  `daily jobs for ${asOf}: ${result.expired} lead(s) expired; pending orders: ${orders.paid} paid, ${orders.declined} released, ${orders.pending} still pending; ${patients.expired} patient reward(s) expired, ${patients.reminded} reminder(s) queued; stats rolled up for ${clinics} clinic(s)`,
);
