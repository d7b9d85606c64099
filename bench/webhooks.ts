/**
 * `npm run bench:webhooks` (rules A4, A5; not part of the tests). On the built app and a fresh
 * database of DATABASE_URL's server:
 * 1. signed Stripe `payment_intent.succeeded` events posted at 10 connections for 10 s (every
 *    tenth one a repeat of an earlier event), then the backlog drained by the app's queue;
 * 2. 1,000 domain events emitted (50 a second) and delivered to a local receiver.
 * Prints as its last line
 * `{"inbound_accepted_per_s":…,"inbound_drained_s":…,"inbound_duplicates":…,"outbound_p95_ms":…,"outbound_lost":…}`.
 */
import { execSync, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import autocannon from "autocannon";
import { and, eq, sql } from "drizzle-orm";
import Stripe from "stripe";
import { connectPostgres, queryRows } from "@/db/client";
import { migrateDatabase } from "@/server/migrate";
import { seedDemo } from "@/server/demo/seed";
import { clinics, inboundEvents, users } from "@/db/schema";
import { encryptionKey } from "@/server/env";
import { staffActor, systemActor } from "@/server/events/actor";
import { emit } from "@/server/events/emit";
import { createInboundEndpoint } from "@/server/services/integrations/inbound/receive";
import { createEndpoint } from "@/server/services/integrations/webhooks/endpoints";
import { freshDatabase, waitForHealth } from "./support";

const PORT = Number(process.env.BENCH_PORT ?? 3310);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const OUTBOUND_EVENTS = Number(process.env.BENCH_EVENTS ?? 1000);
const database = await freshDatabase("bench_webhooks");
const handle = await connectPostgres(database.url, { max: 4 });
let app: ReturnType<typeof spawn> | undefined;
let receiver: http.Server | undefined;
let ok = false;

try {
  await migrateDatabase(handle);
  await seedDemo(handle.db);
  const db = handle.db;
  const [clinic] = await db.select().from(clinics).where(eq(clinics.slug, "maple-street"));
  const [admin] = await db.select().from(users).where(eq(users.email, "admin@demo.test"));
  if (!clinic || !admin) throw new Error("the demo clinic is missing");
  const patients = (await db.select({ id: users.id }).from(users).where(and(eq(users.clinicId, clinic.id), eq(users.role, "patient")))).map((p) => p.id);
  const actor = staffActor(admin.id, clinic.id);

  // The receiver of outgoing deliveries: when each event's delivery first arrived.
  const arrived = new Map<string, number>();
  receiver = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { data?: { referralId?: string } };
      const key = body.data?.referralId;
      if (key && !arrived.has(key)) arrived.set(key, performance.now());
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver?.listen(0, "127.0.0.1", resolve));
  const receiverPort = (receiver.address() as AddressInfo).port;

  if (!process.env.BENCH_SKIP_BUILD) execSync("npx next build", { stdio: "inherit" });
  const key = encryptionKey();
  app = spawn("npx", ["next", "start", "-p", String(PORT), "-H", "127.0.0.1"], {
    env: { ...process.env, DATABASE_URL: database.url, AUTH_SECRET: randomBytes(32).toString("hex"), ENCRYPTION_KEY: key, WEBHOOK_ALLOW_HOSTS: "127.0.0.1", NODE_ENV: "production" },
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  await waitForHealth(`http://127.0.0.1:${PORT}/api/health`);

  // 1. Inbound.
  const inbound = await createInboundEndpoint({ db, actor, clinicId: clinic.id }, { provider: "stripe" });
  const path = `/api/webhooks/stripe/${inbound.id}`;
  const sent: string[] = [];
  let n = 0;
  const signed = () => {
    n += 1;
    // Every tenth request repeats an earlier event: it must be answered and processed once.
    const repeat = n % 10 === 0 && sent.length > 0 ? sent[Math.floor(Math.random() * sent.length)] : undefined;
    const body =
      repeat ??
      JSON.stringify({
        id: `evt_${randomUUID().replace(/-/g, "")}`,
        object: "event",
        type: "payment_intent.succeeded",
        data: { object: { id: `pi_${randomUUID().replace(/-/g, "")}`, object: "payment_intent", amount_received: 2500, metadata: { patient_id: patients[n % patients.length] } } },
      });
    if (!repeat) sent.push(body);
    return { body, headers: { "content-type": "application/json", "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload: body, secret: inbound.signingSecret }) } };
  };
  const load = await autocannon({
    url: `http://127.0.0.1:${PORT}`,
    connections: 10,
    duration: SECONDS,
    requests: [{ method: "POST", path, setupRequest: (request) => ({ ...request, ...signed() }) }],
  });
  const loadEnded = performance.now();
  const accepted = load["2xx"];
  const failures = load.non2xx + load.errors + load.timeouts;
  let drainedSeconds = -1;
  for (let i = 0; i < 600; i++) {
    const [left] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${inboundEvents} where status = 'received'`);
    if (left?.n === 0) {
      drainedSeconds = Number(((performance.now() - loadEnded) / 1000).toFixed(1));
      break;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  // A duplicate: one Stripe payment that became more than one order.
  const [dupes] = await queryRows<{ n: number }>(
    db,
    sql`select coalesce(sum(c - 1), 0)::int as n from (select count(*) as c from orders where clinic_id = ${clinic.id} and payment_ref like 'pi_%' group by payment_ref) t`,
  );
  const [stored] = await queryRows<{ n: number; processed: number }>(db, sql`select count(*)::int as n, count(*) filter (where status = 'processed')::int as processed from ${inboundEvents}`);
  console.error(`inbound: ${accepted} answered 2xx (${sent.length} distinct events, ${stored?.n} stored, ${stored?.processed} processed), ${failures} failed`);

  // 2. Outbound.
  await createEndpoint({ db, actor, clinicId: clinic.id }, { url: `http://127.0.0.1:${receiverPort}/hook`, events: ["referral.qualified"], description: "bench", mayReceiveContactDetails: false, allowHosts: ["127.0.0.1"] });
  const emittedAt = new Map<string, number>();
  const job = systemActor("bench", clinic.id);
  for (let i = 0; i < OUTBOUND_EVENTS; i++) {
    const referralId = randomUUID();
    await db.transaction((tx) =>
      emit(tx, job, { type: "referral.qualified", clinicId: clinic.id, data: { referralId, referrerId: patients[0] ?? randomUUID(), refereeId: randomUUID(), qualifyingEvent: "first_paid_order", orderId: null } }),
    );
    emittedAt.set(referralId, performance.now());
    await new Promise((r) => setTimeout(r, 20));
  }
  const deadline = performance.now() + 60_000;
  while (arrived.size < OUTBOUND_EVENTS && performance.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  const latencies = [...emittedAt].flatMap(([id, at]) => (arrived.has(id) ? [(arrived.get(id) ?? at) - at] : [])).sort((a, b) => a - b);
  const p95 = latencies[Math.max(0, Math.ceil(latencies.length * 0.95) - 1)] ?? -1;

  const summary = {
    inbound_accepted_per_s: Math.round(accepted / SECONDS),
    inbound_drained_s: drainedSeconds,
    inbound_duplicates: dupes?.n ?? -1,
    outbound_p95_ms: Math.round(p95),
    outbound_lost: OUTBOUND_EVENTS - arrived.size,
  };
  ok = failures === 0 && drainedSeconds >= 0;
  console.log(JSON.stringify(summary));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  console.log(JSON.stringify({ ok: false, error: error instanceof Error ? error.message : String(error) }));
} finally {
  if (app?.pid && app.exitCode === null) process.kill(-app.pid, "SIGTERM");
  receiver?.closeAllConnections();
  receiver?.close();
  await handle.close();
  await new Promise((r) => setTimeout(r, 1000));
  await database.done();
}
process.exit(ok ? 0 : 1);
