import { connectPglite, connectPostgres, embeddedDataDir } from "@/db/client";
import { migrateDatabase } from "@/server/migrate";
import { env } from "@/server/env";
import { platformPeriod, runByHand } from "@/server/jobs/hand-runs";
import { paymentProviderFor } from "@/server/services/orders/providers";

// `npm run jobs:monthly [-- YYYY-MM]`: the payout run for that month (rule B6), by default the one
// before this month in the platform's zone, through the scheduler's run record (rule A6): a month
// that already ran says so and pays nothing twice.
const month = process.argv[2];
if (month !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
  console.error(`Give the month as YYYY-MM, not "${month}".`);
  process.exit(2);
}
const handle = process.env.DATABASE_URL ? await connectPostgres(process.env.DATABASE_URL) : await connectPglite(embeddedDataDir());
await migrateDatabase(handle);
const db = handle.db;
const payments = paymentProviderFor(db, { stripeSecretKey: env.STRIPE_SECRET_KEY, stripeApiBase: env.STRIPE_API_BASE });
try {
  const period = month ?? (await platformPeriod(db, new Date(), env.PLATFORM_TIME_ZONE, "monthly"));
  console.log(await runByHand(db, payments, { name: "monthly", clinicId: null, period }, `payout run ${period}`));
} catch (error) {
  console.error(error instanceof Error ? error.message : "the monthly run failed");
  process.exitCode = 1;
} finally {
  await handle.close();
}
