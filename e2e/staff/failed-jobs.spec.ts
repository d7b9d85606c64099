import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { connectPostgres } from "@/db/client";
import { enqueue } from "@/server/queue/boss";
import { expect, test } from "../fixtures";

const DATABASE_URL = process.env.DATABASE_URL;

test("rule A3: a clinic admin finds the clinic's failed job from the console nav, and discards it; staff do not see the page", async ({ pageAs }) => {
  test.skip(!DATABASE_URL, "sets up a real dead letter in the app's database, which the embedded database does not share");
  // A real dead letter of the demo clinic: a probe job naming a probe never recorded, with no retries, failed by the app's own workers.
  const handle = await connectPostgres(DATABASE_URL ?? "", { max: 1 });
  const probeId = randomUUID();
  try {
    const [clinic] = await handle.executeSql("select id from clinics where slug = 'maple-street'").then((r) => r.rows as { id: string }[]);
    await handle.db.transaction(async (tx) => {
      const jobId = await enqueue(tx, "queue.probe", { clinicId: clinic?.id ?? null, probeId });
      await tx.execute(sql`update pgboss.job set retry_limit = 0 where id = ${jobId}`);
    });
  } finally {
    await handle.close();
  }

  const admin = await pageAs("admin");
  await admin.goto("/console");
  await admin.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Failed jobs" }).click();
  await expect(admin.getByRole("heading", { level: 1, name: "Failed jobs" })).toBeVisible();
  const row = admin.getByRole("row").filter({ hasText: `Probe ${probeId} is not recorded.` });
  await expect
    .poll(async () => {
      await admin.reload();
      return row.count();
    })
    .toBe(1);
  await expect(row.getByRole("rowheader")).toContainText("queue.probe");
  await expect(admin.getByText("No failed jobs.")).toHaveCount(0);

  await row.getByRole("button", { name: /^Discard / }).click();
  await expect(admin.getByRole("row").filter({ hasText: probeId })).toHaveCount(0);

  const staff = await pageAs("staff");
  await staff.goto("/console");
  await expect(staff.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Failed jobs" })).toHaveCount(0);
});

test("rule A3: a platform admin sends a worker check and sees a worker take it", async ({ pageAs }) => {
  const platform = await pageAs("platform");
  await platform.goto("/platform");
  await platform.getByRole("navigation", { name: "Platform" }).getByRole("link", { name: "Jobs" }).click();
  await expect(platform.getByRole("heading", { level: 1, name: "Jobs" })).toBeVisible();
  await platform.getByRole("button", { name: "Send a worker check" }).click();
  await expect(platform.getByRole("status").filter({ hasText: "A worker check was sent" })).toBeVisible();
  // The app's own in-process workers take it at their next poll.
  await expect
    .poll(async () => {
      await platform.reload();
      return platform.getByRole("main").textContent();
    })
    .toContain("was taken by a worker");
  await expect(platform.getByRole("heading", { level: 2, name: "Failed jobs" })).toBeVisible();
});
