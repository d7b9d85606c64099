import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectPglite, type DbHandle } from "@/db/client";
import { migrateDatabase } from "@/server/migrate";
import { queueProbes } from "@/db/schema";
import { paymentProviderFor } from "@/server/services/orders/providers";
import { sendProbe } from "@/server/services/ops/queue-probes";
import { FAST_TIMING, jobCount, operatorCtx, waitUntil } from "@/server/testing/queue";
import { startWorkers, type Workers } from "./worker";

/**
 * The embedded database (PGlite) has one connection, shared by the app and its in-process
 * workers; pg-boss reaches it through `executeSql` (db/client.ts). Runs whatever DATABASE_URL says.
 */
let handle: DbHandle;
let workers: Workers | undefined;

beforeAll(async () => {
  handle = await connectPglite("memory://");
  await migrateDatabase(handle);
  workers = await startWorkers(handle, { payments: paymentProviderFor(handle.db, {}), timing: FAST_TIMING, queues: ["queue.probe"] });
});
afterAll(async () => {
  await workers?.stop();
  await handle.close();
});

const probe = async (id: string) => (await handle.db.select().from(queueProbes).where(eq(queueProbes.id, id)))[0];

describe("rule A3: workers on the embedded database", () => {
  it("rule A3: work a committed job, and none from a rolled-back transaction", async () => {
    const rolledBack = new Error("the change failed");
    await expect(
      handle.db.transaction(async (tx) => {
        await sendProbe(operatorCtx(tx));
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect(await jobCount(handle.db, "queue.probe")).toBe(0);

    const id = await handle.db.transaction((tx) => sendProbe(operatorCtx(tx)));
    await waitUntil("the probe is worked", async () => !!(await probe(id))?.workedAt);
    expect((await probe(id))?.attempts).toBe(1);
  });

  it("rule A3: a transaction holding the one connection while the workers poll does not deadlock them", async () => {
    const id = await handle.db.transaction(async (tx) => {
      const sent = await sendProbe(operatorCtx(tx));
      // Long enough for several polls and a maintenance run to queue up behind this transaction.
      await new Promise((resolve) => setTimeout(resolve, 3 * FAST_TIMING.pollingIntervalSeconds * 1000));
      expect((await tx.select().from(queueProbes).where(eq(queueProbes.id, sent)))[0]?.workedAt).toBeNull();
      return sent;
    });
    await waitUntil("the probe sent inside the long transaction is worked", async () => !!(await probe(id))?.workedAt);
    expect((await probe(id))?.attempts).toBe(1);
  });
});
