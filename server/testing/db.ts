import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { inject, it } from "vitest";
import { connectPglite, connectPostgres, type DbHandle } from "@/db/client";
import { migrateDatabase } from "@/server/migrate";
import { seedDemo } from "@/server/demo/seed";
import { withDatabase } from "./global-setup";

/**
 * A fresh, migrated database with the demo clinics, private to the calling test file:
 * a clone of the template on a real server, or an in-memory PGlite.
 */
export async function createTestDb({ seed = true } = {}): Promise<DbHandle & { drop: () => Promise<void> }> {
  const templateUrl = inject("templateDatabaseUrl");
  let handle: DbHandle;
  let drop: () => Promise<void>;
  if (templateUrl) {
    const template = new URL(templateUrl).pathname.slice(1);
    const name = `test_${randomBytes(6).toString("hex")}`;
    const admin = postgres(withDatabase(templateUrl, "postgres"), { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name} template ${template}`);
    // Wide enough for the race tests; idle connections close, so two files at once stay under the server's 100.
    handle = await connectPostgres(withDatabase(templateUrl, name), { max: 35, idleTimeoutSeconds: 2 });
    drop = async () => {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  } else {
    handle = await connectPglite("memory://");
    await migrateDatabase(handle);
    drop = () => handle.close();
  }
  if (seed) await seedDemo(handle.db);
  return { ...handle, drop };
}

/**
 * Tests that race transactions against each other mean something only on a real server: the
 * embedded database has one connection, so its "at once" is one after the other. There they are
 * skipped, and reported as skipped.
 */
export const onPostgres = !!process.env.DATABASE_URL;
export const itConcurrently = onPostgres ? it : it.skip;
