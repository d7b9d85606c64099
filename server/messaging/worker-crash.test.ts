import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { createTestDb, itConcurrently } from "@/server/testing/db";
import { startSmtpSink } from "@/server/testing/smtp-sink";
import { renderEmail } from "./render";
import { queueMessage } from "./store";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
const children: ChildProcess[] = [];
const TOTAL = 400;
// At most this many jobs are in a worker's hands at once: WORKER_CONCURRENCY batches of 20.
const IN_FLIGHT_BOUND = 2 * 20;

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

async function until(probe: () => boolean, ms: number) {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("rule A3: a worker SIGKILLed mid-batch", () => {
  itConcurrently(
    "loses nothing; at most the messages in its hands are sent twice, and the test says how many",
    async () => {
      const email = await renderEmail({ subject: "Crash test", body: "Hello", vars: null, senderName: "Test", unsubscribe: false });
      await handle.db.transaction(async (tx) => {
        for (let i = 0; i < TOTAL; i++) await queueMessage(tx, { clinicId: null, kind: "test", to: `crash-${i}@test.test`, subject: email.subject, body: email.text, html: email.html });
      });
      const first = worker();
      await until(() => sink.count() >= 60, 60_000);
      first.kill("SIGKILL");
      const atKill = sink.count();
      worker();
      // Jobs the dead worker held come back after their expiry (30 s) and the next maintenance.
      await until(() => new Set(sink.mails.map((m) => m.envelopeTo[0])).size >= TOTAL, 110_000);
      await new Promise((r) => setTimeout(r, 2000));
      const addresses = sink.mails.map((m) => m.envelopeTo[0]);
      const duplicates = addresses.length - new Set(addresses).size;
      console.info(JSON.stringify({ test: "worker SIGKILL", messages: TOTAL, deliveredBeforeKill: atKill, duplicates, lost: TOTAL - new Set(addresses).size }));
      expect(new Set(addresses).size).toBe(TOTAL);
      expect(duplicates).toBeLessThanOrEqual(IN_FLIGHT_BOUND);
    },
    150_000,
  );
});
