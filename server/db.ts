import { connectPglite, connectPostgres, type Db, type DbHandle } from "@/db/client";
import { migrateDatabase } from "./migrate";
import { seedDemo } from "@/server/demo/seed";
import { env } from "./env";

const globalForDb = globalThis as unknown as { appDb?: Promise<DbHandle> };

async function open(): Promise<DbHandle> {
  if (env.DATABASE_URL) {
    const handle = await connectPostgres(env.DATABASE_URL);
    await migrateDatabase(handle);
    return handle;
  }
  const handle = await connectPglite(env.PGLITE_DIR);
  await migrateDatabase(handle);
  // A brand-new embedded database starts with the demo clinic; a real server is seeded on purpose.
  await seedDemo(handle.db, { onlyIfEmpty: true, story: true });
  return handle;
}

/** The app's database connection, opened and migrated on first use, once per process. */
export async function getDbHandle(): Promise<DbHandle> {
  globalForDb.appDb ??= open().catch((error: unknown) => {
    globalForDb.appDb = undefined;
    throw error;
  });
  return globalForDb.appDb;
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}
