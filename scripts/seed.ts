import { connectPglite, connectPostgres, embeddedDataDir } from "@/db/client";
import { migrateDatabase } from "@/server/migrate";
import { seedDemo } from "@/server/demo/seed";

// Item 20: demo accounts with published passwords reach a real server only when asked for by name.
const demo = process.argv.slice(2).includes("--demo");
if (process.env.DATABASE_URL && !demo) {
  console.error(
    "Not seeding: DATABASE_URL names a real PostgreSQL server, and the demo data has accounts with published passwords.\n" +
      "To add the demo clinics there on purpose, run `npm run db:seed -- --demo`.",
  );
  process.exit(2);
}

const handle = process.env.DATABASE_URL ? await connectPostgres(process.env.DATABASE_URL) : await connectPglite(embeddedDataDir());
await migrateDatabase(handle);
const result = await seedDemo(handle.db, { story: true });
await handle.close();
console.log(result === "seeded" ? "seeded the demo clinics" : "the demo clinic already exists; nothing changed");
