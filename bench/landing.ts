/**
 * `npm run bench`: the referral landing against a plain JSON route, on the built app and a
 * real Postgres, in three rounds (BENCH_ROUNDS). Prints each round, then a JSON summary of the
 * medians as its last line, and exits non-zero with `"ok":false` when the app did not start or
 * any request answered other than 2xx. Not part of the tests.
 *
 * Uses DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/postgres) and makes
 * a fresh database there for the run.
 */
import { spawn, execSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import autocannon from "autocannon";
import { and, count, eq, isNull } from "drizzle-orm";
import { connectPostgres } from "@/db/client";
import { migrateDatabase } from "@/server/migrate";
import { seedDemo } from "@/server/demo/seed";
import { activityEvents, referralCodes, users } from "@/db/schema";
import { freshDatabase, waitForHealth } from "./support";

const PORT = Number(process.env.BENCH_PORT ?? 3300);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 10;
const database = await freshDatabase("bench");

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const handle = await connectPostgres(database.url, { max: 2 });
let server: ReturnType<typeof spawn> | undefined;
let ok = false;
try {
  // Another server on the port would be measured instead of this build: refuse to start.
  if (await answers(`http://127.0.0.1:${PORT}/api/ping`)) throw new Error(`port ${PORT} is already in use (BENCH_PORT picks another)`);
  await migrateDatabase(handle);
  await seedDemo(handle.db);
  const [row] = await handle.db
    .select({ id: referralCodes.id, code: referralCodes.code })
    .from(referralCodes)
    .innerJoin(users, eq(users.id, referralCodes.patientId))
    .where(and(eq(users.email, "patient@demo.test"), isNull(referralCodes.rotatedAt)));
  if (!row) throw new Error("the demo patient has no code");

  if (!process.env.BENCH_SKIP_BUILD) execSync("npx next build", { stdio: "inherit" });
  server = spawn("npx", ["next", "start", "-p", String(PORT), "-H", "127.0.0.1"], {
    env: { ...process.env, DATABASE_URL: database.url, AUTH_SECRET: randomBytes(32).toString("hex"), ENCRYPTION_KEY: randomBytes(32).toString("hex"), NODE_ENV: "production" },
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  const exited = new Promise<never>((_, reject) => server?.once("exit", (code) => reject(new Error(`the app exited (code ${code}) before the benchmark finished`))));
  exited.catch(() => {});
  await Promise.race([waitForHealth(`http://127.0.0.1:${PORT}/api/health`), exited]);

  const landingUrl = `http://127.0.0.1:${PORT}/r/${row.code}?via=bench`;
  const plainUrl = `http://127.0.0.1:${PORT}/api/ping`;
  // Warm both paths so compilation and connection set-up are not measured.
  await run(landingUrl, 2);
  await run(plainUrl, 2);
  await settle();

  const runs: Round[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const clicksBefore = await clickCount(row.id);
    const landing = await run(landingUrl, DURATION);
    await settle();
    const clicksRecorded = (await clickCount(row.id)) - clicksBefore;
    const plain = await run(plainUrl, DURATION);
    const result: Round = {
      landing_rps: Math.round(landing.requests.average),
      plain_rps: Math.round(plain.requests.average),
      ratio: Number((landing.requests.average / plain.requests.average).toFixed(3)),
      landing_p99_ms: landing.latency.p99,
      // Requests cut off when the run ends may still be recorded; a lost click is a 2xx without one.
      clicks_lost: Math.max(0, landing["2xx"] - clicksRecorded),
      landing_2xx: landing["2xx"],
      failures: landing.non2xx + landing.errors + landing.timeouts + plain.non2xx + plain.errors + plain.timeouts,
    };
    console.error(`round ${round}: ${JSON.stringify(result)}`);
    runs.push(result);
  }
  // A run that served nothing, or anything but 2xx, measured nothing worth a ratio.
  ok = runs.every((r) => r.failures === 0 && r.landing_2xx > 0);
  console.log(
    JSON.stringify({
      ok,
      landing_rps: median(runs.map((r) => r.landing_rps)),
      plain_rps: median(runs.map((r) => r.plain_rps)),
      ratio: median(runs.map((r) => r.ratio)),
      landing_p99_ms: median(runs.map((r) => r.landing_p99_ms)),
      clicks_lost: runs.reduce((total, r) => total + r.clicks_lost, 0),
      runs,
    }),
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  console.log(JSON.stringify({ ok: false, error: error instanceof Error ? error.message : String(error) }));
} finally {
  if (server?.pid && server.exitCode === null) process.kill(-server.pid, "SIGTERM");
  await handle.close();
  await new Promise((r) => setTimeout(r, 500));
  await database.done();
}
process.exit(ok ? 0 : 1);

type Round = {
  landing_rps: number;
  plain_rps: number;
  ratio: number;
  landing_p99_ms: number;
  clicks_lost: number;
  landing_2xx: number;
  failures: number;
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
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
