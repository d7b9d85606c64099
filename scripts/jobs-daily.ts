import { connectPglite, connectPostgres, embeddedDataDir } from "@/db/client";
import { migrateDatabase } from "@/server/migrate";
import { env } from "@/server/env";
import { clinicDays, platformPeriod, reconcileSlot, runByHand } from "@/server/jobs/hand-runs";
import { paymentProviderFor } from "@/server/services/orders/providers";

// `npm run jobs:daily [-- YYYY-MM-DD]`: what the scheduler runs each day (rule A6), by hand, through
// the same run records: the platform's daily run (stale leads, due partner credits, rate-limit
// pruning), each clinic's daily run (expire rewards, expiry reminders, dashboard rollup) for that
// day (default: each one's own local today), and a reconciliation of pending card orders. A period
// that already ran says so and does nothing.
const day = process.argv[2];
if (day !== undefined && !/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(day)) {
  console.error(`Give the day as YYYY-MM-DD, not "${day}".`);
  process.exit(2);
}
const handle = process.env.DATABASE_URL ? await connectPostgres(process.env.DATABASE_URL) : await connectPglite(embeddedDataDir());
await migrateDatabase(handle);
const db = handle.db;
const payments = paymentProviderFor(db, { stripeSecretKey: env.STRIPE_SECRET_KEY, stripeApiBase: env.STRIPE_API_BASE });
const now = new Date();
try {
  const platformDay = day ?? (await platformPeriod(db, now, env.PLATFORM_TIME_ZONE, "daily"));
  console.log(await runByHand(db, payments, { name: "daily", clinicId: null, period: platformDay }, `platform daily ${platformDay}`, now));
  for (const clinic of await clinicDays(db, now, day)) {
    console.log(await runByHand(db, payments, { name: "daily", clinicId: clinic.id, period: clinic.day }, `${clinic.slug} daily ${clinic.day}`, now));
  }
  const slot = reconcileSlot(now);
  console.log(await runByHand(db, payments, { name: "reconcile", clinicId: null, period: slot }, `reconcile ${slot}`, now));
} catch (error) {
  console.error(error instanceof Error ? error.message : "the daily run failed");
  process.exitCode = 1;
} finally {
  await handle.close();
}
