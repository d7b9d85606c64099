/** What the benchmarks share: a fresh database of their own on DATABASE_URL's server, and a wait for an app. */
import { randomBytes } from "node:crypto";
import postgres from "postgres";

/** `done` drops the database, or with `keep` leaves it for a look afterwards. */
export type BenchDatabase = { name: string; url: string; done: (options?: { keep?: boolean }) => Promise<void> };

/** Makes `<prefix>_<random>` on DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/postgres). */
export async function freshDatabase(prefix: string): Promise<BenchDatabase> {
  const serverUrl = new URL(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  const admin = postgres({ ...connectionOf(serverUrl, "postgres"), max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    done: async ({ keep = false } = {}) => {
      if (!keep) await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export async function waitForHealth(url: string, attempts = 240) {
  for (let i = 0; i < attempts; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the app did not become healthy at ${url}`);
}

function connectionOf(url: URL, database: string) {
  return { host: url.hostname, port: Number(url.port || 5432), user: decodeURIComponent(url.username || "postgres"), password: decodeURIComponent(url.password) || undefined, database };
}
