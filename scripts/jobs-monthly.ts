import { connectPglite, connectPostgres, embeddedDataDir } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { runMonthlyJobs } from "@/server/services/b2b/jobs";
import { previousMonth } from "@/server/services/b2b/payouts";

// `npm run jobs:monthly [-- YYYY-MM]`: the payout run for that month, by default the previous one (rule B6).
const month = process.argv[2] ?? previousMonth(new Date().toISOString().slice(0, 10));
if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
  console.error(`Give the month as YYYY-MM, not "${month}".`);
  process.exit(2);
}
const handle = process.env.DATABASE_URL ? await connectPostgres(process.env.DATABASE_URL) : await connectPglite(embeddedDataDir());
await migrateDatabase(handle);
const result = await runMonthlyJobs(handle.db, month);
await handle.close();
console.log(`payout run ${month}: ${result.added} new reward line(s) added`);
