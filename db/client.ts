import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import type { ExtractTablesWithRelations, SQL } from "drizzle-orm";
import * as schema from "./schema";

export type Schema = typeof schema;
/** Either driver's database; transactions are databases too, so services accept both. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

/** Raw SQL as pg-boss sends it: numbered parameters, or several statements without any. */
export type ExecuteSql = (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }>;

/** A parameter both drivers bind alike: objects as JSON text, undefined as null. */
export function asParameter(value: unknown): unknown {
  if (value === undefined) return null;
  if (value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date)) return JSON.stringify(value);
  return value;
}

export type DbHandle = { db: Db; close: () => Promise<void>; executeSql: ExecuteSql } & ({ kind: "postgres"; url: string } | { kind: "pglite" });

const drizzleConfig = { schema, casing: "snake_case" } as const;

export async function connectPostgres(url: string, options: { max?: number; idleTimeoutSeconds?: number } = {}): Promise<DbHandle> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const client = postgres(url, { max: options.max ?? 10, idle_timeout: options.idleTimeoutSeconds, onnotice: () => {} });
  const executeSql: ExecuteSql = async (text, values = []) => {
    if (values.length) return { rows: [...(await client.unsafe(text, values.map(asParameter) as never[]))] };
    // Several statements may hold their own BEGIN and COMMIT, which need one connection throughout.
    const connection = await client.reserve();
    try {
      return { rows: [...(await connection.unsafe(text))] };
    } finally {
      connection.release();
    }
  };
  return { db: drizzle({ client, ...drizzleConfig }) as unknown as Db, close: () => client.end(), executeSql, kind: "postgres", url };
}

/** `dataDir` is a directory, or `memory://` for a throw-away database. One process per directory. */
export async function connectPglite(dataDir: string): Promise<DbHandle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  // PGlite creates only the last directory; a fresh checkout has no .data/ yet.
  if (!dataDir.includes("://")) (await import("node:fs")).mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir);
  // PGlite's `query` takes one statement with parameters, its `exec` several without.
  const executeSql: ExecuteSql = async (text, values = []) => {
    if (values.length) return { rows: (await client.query(text, values.map(asParameter))).rows };
    const results = await client.exec(text);
    return { rows: results.at(-1)?.rows ?? [] };
  };
  return { db: drizzle({ client, ...drizzleConfig }) as unknown as Db, close: () => client.close(), executeSql, kind: "pglite" };
}

export function embeddedDataDir(): string {
  return process.env.PGLITE_DIR ?? ".data/pglite";
}

/** Rows of a raw query, whichever driver ran it. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}
