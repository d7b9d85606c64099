import path from "node:path";
import { sql } from "drizzle-orm";
import { migrateQueue } from "@/server/queue/boss";
import { connectPostgres, type DbHandle } from "@/db/client";

const migrationsFolder = path.join(process.cwd(), "db/migrations");
// Any fixed number: several instances starting together take turns applying migrations.
const MIGRATION_LOCK = 727_274_001;

export async function migrateDatabase(handle: DbHandle): Promise<void> {
  if (handle.kind === "pglite") {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(handle.db as never, { migrationsFolder });
    await migrateQueue(handle);
    return;
  }
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  // One connection, so the session-level advisory lock covers the whole migration.
  const single = await connectPostgres(handle.url, { max: 1 });
  try {
    await single.db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK})`);
    await migrate(single.db as never, { migrationsFolder });
    await migrateQueue(handle);
    await single.db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK})`);
  } finally {
    await single.close();
  }
}
