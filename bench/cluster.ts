/**
 * `npm run bench:cluster`: three app instances on one Postgres, load spread over them for 30 s
 * (BENCH_SECONDS): landing clicks, friends signing up through links, and their checkouts sent
 * twice at once with one idempotency key to two instances. Then the invariants are counted from
 * the database. Prints a JSON summary as its last line; exits non-zero when an instance did not
 * start or an invariant broke. Not part of the tests.
 *
 * Uses DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/postgres) and makes a
 * fresh database there for the run.
 */
import { spawn, execSync, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import autocannon from "autocannon";
import { sql } from "drizzle-orm";
import { connectPostgres, queryRows } from "@/db/client";
import { migrateDatabase } from "@/server/migrate";
import { seedDemo } from "@/server/demo/seed";
import { registerPatient } from "@/server/services/patients/sign-up";
import { freshDatabase, waitForHealth } from "./support";

const DEMO_SLUG = "maple-street";
const PORTS = [3311, 3312, 3313];
const DURATION = Number(process.env.BENCH_SECONDS ?? 30);
const FRIENDS_AT_ONCE = Number(process.env.BENCH_FRIENDS ?? 6);
const REFERRERS = 400;
const PASSWORD = "Bench-pass-2026";
const database = await freshDatabase("bench_cluster");
const handle = await connectPostgres(database.url, { max: 4 });
const db = handle.db;
const log = (message: string) => console.error(`[bench:cluster] ${message}`);

const servers: ChildProcess[] = [];
let ok = false;
try {
  await migrateDatabase(handle);
  await seedDemo(handle.db);
  const referrerCodes = await makeReferrers();
  if (!process.env.BENCH_SKIP_BUILD) execSync("npx next build", { stdio: "inherit" });
  const secret = randomBytes(32).toString("hex");
  for (const port of PORTS) {
    const server = spawn("npx", ["next", "start", "-p", String(port), "-H", "127.0.0.1"], {
      env: { ...process.env, DATABASE_URL: database.url, AUTH_SECRET: secret, ENCRYPTION_KEY: secret, NODE_ENV: "production" },
      stdio: ["ignore", "ignore", "inherit"],
      detached: true,
    });
    servers.push(server);
  }
  await Promise.all(PORTS.map((port) => waitForHealth(`http://127.0.0.1:${port}/api/health`)));
  log(`${PORTS.length} instances up; ${REFERRERS} referrers; load for ${DURATION} s`);

  const started = new Date();
  const deadline = Date.now() + DURATION * 1000;
  const stats = { landing2xx: 0, checkouts: 0, friends: 0, failures: [] as string[] };
  let next = 0;
  const friendLoop = async () => {
    while (Date.now() < deadline && next < referrerCodes.length) {
      const code = referrerCodes[next++] as string;
      await referAFriend(code, stats).catch((error: unknown) => stats.failures.push(String(error instanceof Error ? error.message : error)));
    }
  };
  const clickLoad = PORTS.map((port, i) =>
    autocannon({ url: `http://127.0.0.1:${port}/r/${referrerCodes.at(-1 - i)}?via=bench`, connections: 3, duration: DURATION }),
  );
  const [clicks] = await Promise.all([Promise.all(clickLoad), ...Array.from({ length: FRIENDS_AT_ONCE }, friendLoop)]);
  await new Promise((r) => setTimeout(r, 1500));
  const clickFailures = clicks.reduce((total, c) => total + c.non2xx + c.errors + c.timeouts, 0);
  stats.landing2xx += clicks.reduce((total, c) => total + c["2xx"], 0);

  const [counted] = await queryRows<{ clicks: number; qualified: number; duplicate_rewards: number; negative_balances: number }>(
    db,
    sql`select
      (select count(*)::int from activity_events where type = 'click' and created_at >= ${started.toISOString()}::timestamptz) as clicks,
      (select count(*)::int from referrals where qualified_at >= ${started.toISOString()}::timestamptz) as qualified,
      (select count(*)::int from (select 1 from rewards where side <> 'milestone' group by referral_id, side having count(*) > 1) d)
        + (select count(*)::int from (select 1 from credit_ledger where kind = 'grant' and reward_id is not null group by reward_id having count(*) > 1) g)
        as duplicate_rewards,
      (select count(*)::int from (select 1 from credit_ledger group by patient_id, unit having sum(amount_cents) < 0) n) as negative_balances`,
  );
  if (!counted) throw new Error("nothing counted");
  const summary = {
    ok: false,
    instances: PORTS.length,
    landing_rps: Math.round(clicks.reduce((total, c) => total + c["2xx"], 0) / DURATION),
    checkouts: stats.checkouts,
    qualified: counted.qualified,
    duplicate_rewards: counted.duplicate_rewards,
    negative_balances: counted.negative_balances,
    clicks_lost: Math.max(0, stats.landing2xx - counted.clicks),
  };
  log(`friends ${stats.friends}, failed flows ${stats.failures.length}${stats.failures.length ? ` (first: ${stats.failures[0]})` : ""}, landing non-2xx ${clickFailures}`);
  // Zeros mean something only when enough qualified; any failed flow or non-2xx is a failed run.
  ok = clickFailures === 0 && stats.failures.length === 0 && summary.qualified >= 50 && summary.duplicate_rewards === 0 && summary.negative_balances === 0 && summary.clicks_lost === 0;
  console.log(JSON.stringify({ ...summary, ok }));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  console.log(JSON.stringify({ ok: false, error: error instanceof Error ? error.message : String(error) }));
} finally {
  for (const server of servers) if (server.pid && server.exitCode === null) process.kill(-server.pid, "SIGTERM");
  await handle.close();
  await new Promise((r) => setTimeout(r, 1000));
  await database.done();
}
process.exit(ok ? 0 : 1);

/** Referrers of their own, one friend each, so no referral trips rule P6's velocity flag. */
async function makeReferrers(): Promise<string[]> {
  const codes: string[] = [];
  for (let i = 0; i < REFERRERS; i += 20) {
    await Promise.all(
      Array.from({ length: 20 }, (_, j) =>
        registerPatient({ db }, { clinicSlug: DEMO_SLUG, firstName: "Ref", lastName: `Bench${i + j}`, email: `referrer-${i + j}@cluster-bench.org`, password: PASSWORD, attributionCode: null, fingerprint: { ipHash: null, deviceHash: null } }),
      ),
    );
  }
  const rows = await queryRows<{ code: string }>(
    db,
    sql`select c.code from referral_codes c join users u on u.id = c.patient_id where u.email like 'referrer-%@cluster-bench.org' and c.rotated_at is null order by u.email`,
  );
  for (const row of rows) codes.push(row.code);
  return codes;
}

/**
 * A friend on their own network opens the link on one instance, signs up and signs in on
 * another, and pays a first order twice at once (one key) on two more: rule P7 must pay once.
 */
async function referAFriend(code: string, stats: { landing2xx: number; checkouts: number; friends: number }) {
  const ip = `198.51.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
  const jar = new Map<string, string>();
  const pick = () => `http://127.0.0.1:${PORTS[Math.floor(Math.random() * PORTS.length)]}`;
  const call = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(url, {
      ...init,
      redirect: "manual",
      headers: { "x-forwarded-for": ip, cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; "), ...(init.headers as Record<string, string>) },
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const [name, ...value] = (pair ?? "").split("=");
      if (name) jar.set(name.trim(), value.join("="));
    }
    return response;
  };
  const landing = await call(`${pick()}/r/${code}?via=sms`);
  if (landing.status !== 200) throw new Error(`landing answered ${landing.status}`);
  stats.landing2xx += 1;

  const email = `friend-${randomUUID()}@cluster-bench.org`;
  const signUp = await call(`${pick()}/api/trpc/account.signUp`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ json: { clinicSlug: DEMO_SLUG, firstName: "Friend", lastName: "Bench", email, password: PASSWORD } }),
  });
  if (signUp.status !== 200) throw new Error(`sign-up answered ${signUp.status}`);

  const home = pick();
  const csrf = (await (await call(`${home}/api/auth/csrf`)).json()) as { csrfToken: string };
  const signIn = await call(`${home}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password: PASSWORD, csrfToken: csrf.csrfToken }).toString(),
  });
  if (![200, 302].includes(signIn.status) || ![...jar.keys()].some((k) => k.includes("session-token"))) throw new Error(`sign-in answered ${signIn.status}`);
  stats.friends += 1;

  const catalog = (await (await call(`${pick()}/api/trpc/portal.catalog`)).json()) as { result: { data: { json: { id: string }[] } } };
  const serviceId = catalog.result.data.json[0]?.id;
  if (!serviceId) throw new Error("no service to buy");
  const body = JSON.stringify({ json: { items: [{ serviceId, quantity: 1 }], card: { number: "4242424242424242", expiry: "12/39", cvc: "123" }, idempotencyKey: randomUUID() } });
  const answers = await Promise.all(
    [pick(), pick()].map((base) => call(`${base}/api/trpc/portal.checkout`, { method: "POST", headers: { "content-type": "application/json" }, body })),
  );
  for (const answer of answers) if (answer.status !== 200) throw new Error(`checkout answered ${answer.status}`);
  stats.checkouts += answers.length;
}
