/** `npm run stats:rollup`: the daily job that stores each clinic's closed days (rule C1). Safe to repeat. */
import { connectPglite, connectPostgres, embeddedDataDir } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { rollUpAllClinics } from "@/server/services/stats-rollup";

const handle = process.env.DATABASE_URL ? await connectPostgres(process.env.DATABASE_URL) : await connectPglite(embeddedDataDir());
await migrateDatabase(handle);
const clinics = await rollUpAllClinics(handle.db);
await handle.close();
console.log(`rolled up the referral stats of ${clinics} clinic(s)`);
