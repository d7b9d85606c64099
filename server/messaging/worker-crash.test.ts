import { spawn, type ChildProcess } from "node:child_process";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { queryRows } from "@/db/client";
import { outboxMessages } from "@/db/schema";
import { BOSS_SCHEMA, PRODUCTION_TIMING, retryWithinSeconds } from "@/server/queue/boss";
import { QUEUES } from "@/server/queue/names";
import { createTestDb, itConcurrently } from "@/server/testing/db";
import { waitUntil } from "@/server/testing/queue";
import { startSmtpSink } from "@/server/testing/smtp-sink";
import { renderEmail } from "./render";
import { queueMessage } from "./store";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
const children: ChildProcess[] = [];
const TOTAL = 400;
// At most this many jobs are in a worker's hands at once: WORKER_CONCURRENCY batches of 20.
const IN_FLIGHT_BOUND = 2 * 20;
// The production worker (scripts/worker.ts) sets the production policy: the dead worker's jobs
// come back within this of the kill; the survivor sends the rest well inside a minute more.
const BACK_WITHIN_MS = retryWithinSeconds(QUEUES["messages.send"].policy, PRODUCTION_TIMING) * 1000;
const REST_MS = 60_000;

beforeAll(async () => {
  handle = await createTestDb({ seed: false });
  sink = await startSmtpSink({ parse: false });
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await sink?.close();
  await handle?.drop();
});

/** `npm run worker`, the production entry, as its own process. */
function worker(): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
    env: { ...process.env, DATABASE_URL: handle.kind === "postgres" ? handle.url : "", SMTP_URL: sink.url, SMTP_FROM: "Test <t@test.test>", WORKER_CONCURRENCY: "2" },
    stdio: ["ignore", "ignore", "ignore"],
  });
  children.push(child);
  return child;
}

/** The send queue's jobs in a worker's hands, and those waiting (new, or back for a retry). */
async function sendJobs() {
  const [row] = await queryRows<{ active: number; waiting: number }>(
    handle.db,
    sql`select count(*) filter (where state = 'active')::int as active, count(*) filter (where state in ('created', 'retry'))::int as waiting
      from ${sql.identifier(BOSS_SCHEMA)}.job where name = 'messages.send'`,
  );
  return row ?? { active: 0, waiting: 0 };
}

const unsent = async () => (await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from ${outboxMessages} where status <> 'sent'`))[0]?.n ?? -1;

describe("rule A3: a worker SIGKILLed mid-batch", () => {
  itConcurrently(
    "loses nothing; at most the messages in its hands are sent twice, and the test says how many",
    async () => {
      const email = await renderEmail({ subject: "Crash test", body: "Hello", vars: null, senderName: "Test", unsubscribe: false });
      await handle.db.transaction(async (tx) => {
        for (let i = 0; i < TOTAL; i++) await queueMessage(tx, { clinicId: null, kind: "test", to: `crash-${i}@test.test`, subject: email.subject, body: email.text, html: email.html });
      });
      const first = worker();
      await waitUntil("the first worker is mid-batch: mail went out and jobs are in its hands", async () => sink.count() >= 60 && (await sendJobs()).active > 0, 60_000);
      first.kill("SIGKILL");
      const atKill = sink.count();
      worker();
      // Done means nothing can send again: every message marked sent, no job left waiting or in hand.
      await waitUntil(
        "every message is sent and the send queue is drained",
        async () => (await unsent()) === 0 && Object.values(await sendJobs()).every((n) => n === 0),
        BACK_WITHIN_MS + REST_MS,
      );
      const addresses = sink.mails.map((m) => m.envelopeTo[0]);
      const duplicates = addresses.length - new Set(addresses).size;
      console.info(JSON.stringify({ test: "worker SIGKILL", messages: TOTAL, deliveredBeforeKill: atKill, duplicates, lost: TOTAL - new Set(addresses).size }));
      expect(new Set(addresses).size).toBe(TOTAL);
      expect(duplicates).toBeLessThanOrEqual(IN_FLIGHT_BOUND);
    },
    60_000 + BACK_WITHIN_MS + REST_MS + 30_000,
  );
});
