/**
 * `npm run bench:messages`: queue 10,000 messages, deliver them with two worker processes
 * (`npm run worker`, the production entry) to a local SMTP sink, and count what arrived.
 * Prints last: {"messages":…,"per_s":…,"lost":…,"duplicates":…}. Not part of the tests.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { connectPostgres } from "@/db/client";
import { migrateDatabase } from "@/server/migrate";
import { seedDemo } from "@/server/demo/seed";
import { renderEmail } from "@/server/messaging/render";
import { queueMessage } from "@/server/messaging/store";
import { startSmtpSink } from "@/server/testing/smtp-sink";
import { freshDatabase } from "./support";

const TOTAL = Number(process.env.BENCH_MESSAGES ?? 10_000);
const CONCURRENCY = process.env.BENCH_WORKER_CONCURRENCY ?? "8";
const BATCH = 500;

const database = await freshDatabase("bench_messages");
const handle = await connectPostgres(database.url, { max: 10 });
await migrateDatabase(handle);
await seedDemo(handle.db);
const sink = await startSmtpSink({ parse: false });

// One rendering shared by every message: the benchmark measures delivery, not React.
const email = await renderEmail({ subject: "Your reward is ready", body: "Hi {{first_name}},\n\nyour reward is ready.\n\n{{portal_link}}", vars: { first_name: "Alex", portal_link: "http://localhost:3000/signin/bench" }, senderName: "Bench Clinic", unsubscribe: false });
const queuedAt = Date.now();
for (let start = 0; start < TOTAL; start += BATCH) {
  await handle.db.transaction(async (tx) => {
    for (let i = start; i < Math.min(TOTAL, start + BATCH); i++) {
      await queueMessage(tx, { clinicId: null, kind: "bench", to: `bench-${i}@bench.test`, subject: email.subject, body: email.text, html: email.html });
    }
  });
}
console.error(`queued ${TOTAL} in ${((Date.now() - queuedAt) / 1000).toFixed(1)} s`);

const env = { ...process.env, DATABASE_URL: database.url, SMTP_URL: sink.url, SMTP_FROM: "Bench <bench@bench.test>", WORKER_CONCURRENCY: CONCURRENCY };
const workers: ChildProcess[] = [0, 1].map(() => spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], { env, stdio: ["ignore", "ignore", "inherit"] }));

// The clock starts at the first delivery, so the workers' start-up is not counted.
while (sink.count() === 0) await new Promise((r) => setTimeout(r, 20));
const started = Date.now();
let last = -1;
let stillSince = Date.now();
while (sink.count() < TOTAL && Date.now() - stillSince < 15_000) {
  await new Promise((r) => setTimeout(r, 100));
  if (sink.count() !== last) {
    last = sink.count();
    stillSince = Date.now();
  }
}
const seconds = (Date.now() - started) / 1000;
// Any late duplicate (a retry after an expiry) would show within a few seconds more.
await new Promise((r) => setTimeout(r, 3000));

for (const w of workers) w.kill("SIGTERM");
await Promise.all(workers.map((w) => new Promise((r) => w.once("exit", r))));
const addresses = sink.mails.map((m) => m.envelopeTo[0] ?? "");
const distinct = new Set(addresses).size;
await sink.close();
await handle.close();
await database.done();
console.log(JSON.stringify({ messages: TOTAL, per_s: Math.round(distinct / seconds), lost: TOTAL - distinct, duplicates: addresses.length - distinct }));
process.exit(0);
