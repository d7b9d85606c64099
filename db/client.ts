import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import type { ExtractTablesWithRelations, SQL } from "drizzle-orm";
import * as schema from "./schema";

export type Schema = typeof schema;
/** Either driver's database; transactions are databases too, so services accept both. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export type DbHandle = { db: Db; close: () => Promise<void> } & ({ kind: "postgres"; url: string } | { kind: "pglite" });

const drizzleConfig = { schema, casing: "snake_case" } as const;

export async function connectPostgres(url: string, options: { max?: number } = {}): Promise<DbHandle> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const client = postgres(url, { max: options.max ?? 10, onnotice: () => {} });
  return { db: drizzle({ client, ...drizzleConfig }) as unknown as Db, close: () => client.end(), kind: "postgres", url };
}

/** `dataDir` is a directory, or `memory://` for a throw-away database. One process per directory. */
export async function connectPglite(dataDir: string): Promise<DbHandle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  // PGlite creates only the last directory; a fresh checkout has no .data/ yet.
  if (!dataDir.includes("://")) (await import("node:fs")).mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir);
  return { db: drizzle({ client, ...drizzleConfig }) as unknown as Db, close: () => client.close(), kind: "pglite" };
}

export function embeddedDataDir(): string {
  return process.env.PGLITE_DIR ?? ".data/pglite";
}

/** Rows of a raw query, whichever driver ran it. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}
