import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { connectPostgres } from "@/db/client";
import { migrateDatabase } from "@/server/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabaseUrl: string | null;
  }
}

/**
 * On a real server (DATABASE_URL), migrate one template database; every test file then
 * clones it. Without one, each file runs on its own in-memory PGlite.
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  // CI proves the concurrency rules, which the single-connection embedded database cannot.
  if (process.env.CI && !url) throw new Error("CI runs the tests on PostgreSQL: set DATABASE_URL (see .ci/run).");
  if (!url) {
    project.provide("templateDatabaseUrl", null);
    return;
  }
  const name = `test_template_${process.pid}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name}`);
  await admin.unsafe(`create database ${name}`);
  const templateUrl = withDatabase(url, name);
  const handle = await connectPostgres(templateUrl, { max: 1 });
  await migrateDatabase(handle);
  await handle.close();
  project.provide("templateDatabaseUrl", templateUrl);

  return async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
