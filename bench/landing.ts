/**
 * `npm run bench`: the referral landing against a plain JSON route, on the built app and a
 * real Postgres. Prints a JSON summary as its last line. Not part of the tests.
 *
 * Uses DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/postgres) and makes
 * a fresh database there for the run.
 */
import { spawn, execSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import autocannon from "autocannon";
import { and, count, eq, isNull } from "drizzle-orm";
import postgres from "postgres";
import { connectPostgres } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { seedDemo } from "@/db/seed";
import { activityEvents, referralCodes, users } from "@/db/schema";

const PORT = Number(process.env.BENCH_PORT ?? 3300);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 10;
const serverUrl = new URL(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
const dbName = `bench_${randomBytes(4).toString("hex")}`;
const admin = postgres({ ...connectionOf(serverUrl, "postgres"), max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${dbName}`);
const dbUrl = new URL(serverUrl);
dbUrl.pathname = `/${dbName}`;

const handle = await connectPostgres(dbUrl.toString(), { max: 2 });
let server: ReturnType<typeof spawn> | undefined;
try {
  await migrateDatabase(handle);
  await seedDemo(handle.db);
  const [row] = await handle.db
    .select({ id: referralCodes.id, code: referralCodes.code })
    .from(referralCodes)
    .innerJoin(users, eq(users.id, referralCodes.patientId))
    .where(and(eq(users.email, "patient@demo.test"), isNull(referralCodes.rotatedAt)));
  if (!row) throw new Error("the demo patient has no code");

  if (!process.env.BENCH_SKIP_BUILD) execSync("npx next build", { stdio: "inherit" });
  server = spawn("npx", ["next", "start", "-p", String(PORT)], {
    env: { ...process.env, DATABASE_URL: dbUrl.toString(), AUTH_SECRET: randomBytes(32).toString("hex"), NODE_ENV: "production" },
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  await waitForHealth(`http://127.0.0.1:${PORT}/api/health`);

  const landingUrl = `http://127.0.0.1:${PORT}/r/${row.code}?via=bench`;
  const plainUrl = `http://127.0.0.1:${PORT}/api/ping`;
  // Warm both paths so compilation and connection set-up are not measured.
  await run(landingUrl, 2);
  await run(plainUrl, 2);
  await settle();
  const clicksBefore = await clickCount(row.id);

  const landing = await run(landingUrl, DURATION);
  await settle();
  const clicksRecorded = (await clickCount(row.id)) - clicksBefore;
  const plain = await run(plainUrl, DURATION);
  const landingOk = landing["2xx"];

  const summary = {
    landing_rps: Math.round(landing.requests.average),
    plain_rps: Math.round(plain.requests.average),
    ratio: Number((landing.requests.average / plain.requests.average).toFixed(3)),
    landing_p99_ms: landing.latency.p99,
    // Requests cut off when the run ends may still be recorded; a lost click is a 2xx without one.
    clicks_lost: Math.max(0, landingOk - clicksRecorded),
  };
  console.error(`landing: ${landingOk} ok of ${landing.requests.total}, ${landing.non2xx} non-2xx, ${landing.errors} errors; clicks recorded ${clicksRecorded}`);
  console.log(JSON.stringify(summary));
} finally {
  if (server?.pid) process.kill(-server.pid, "SIGTERM");
  await handle.close();
  await new Promise((r) => setTimeout(r, 500));
  await admin.unsafe(`drop database if exists ${dbName} with (force)`);
  await admin.end();
}

/** Lets requests cut off at the end of a run finish on the server before counting. */
function settle() {
  return new Promise((r) => setTimeout(r, 1000));
}

function run(url: string, duration: number) {
  return autocannon({ url, connections: CONNECTIONS, duration });
}

async function clickCount(codeId: string) {
  const [row] = await handle.db.select({ n: count() }).from(activityEvents).where(and(eq(activityEvents.codeId, codeId), eq(activityEvents.type, "click")));
  return row?.n ?? 0;
}

async function waitForHealth(url: string) {
  for (let i = 0; i < 120; i++) {
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
