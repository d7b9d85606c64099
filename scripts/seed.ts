import { connectPglite, connectPostgres, embeddedDataDir } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { seedDemo } from "@/db/seed";

const handle = process.env.DATABASE_URL ? await connectPostgres(process.env.DATABASE_URL) : await connectPglite(embeddedDataDir());
await migrateDatabase(handle);
const result = await seedDemo(handle.db);
await handle.close();
console.log(result === "seeded" ? "seeded the demo clinics" : "the demo clinic already exists; nothing changed");
