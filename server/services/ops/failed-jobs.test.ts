import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { auditLog, queueProbes } from "@/db/schema";
import { startWorkers, type Workers } from "@/server/jobs/worker";
import { createTestDb } from "@/server/testing/db";
import { callerAs, clinicOf, DEMO_SLUG, userByEmail } from "@/server/testing/fixtures";
import { deadLetter, FAST_TIMING, jobRow, setQueuePolicy, waitUntil } from "@/server/testing/queue";
import { paymentProviderFor } from "@/server/services/orders/providers";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let workers: Workers;
const users = { admin: "", otherAdmin: "", staff: "", patient: "", platform: "" };
let clinicId = "";

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  // One retry, a second apart, in this test's database: "out of retries" comes in seconds.
  await setQueuePolicy(db, "queue.probe", { retryLimit: 1, retryDelaySeconds: 1 });
  workers = await startWorkers(handle, { payments: paymentProviderFor(db, {}), timing: FAST_TIMING, queues: ["queue.probe"] });
  clinicId = (await clinicOf(db, DEMO_SLUG)).id;
  users.admin = (await userByEmail(db, "admin@demo.test")).id;
  users.staff = (await userByEmail(db, "staff@demo.test")).id;
  users.patient = (await userByEmail(db, "patient@demo.test")).id;
  users.otherAdmin = (await userByEmail(db, "admin@second.test")).id;
  users.platform = (await userByEmail(db, "platform@demo.test")).id;
});
afterAll(async () => {
  await workers.stop();
  await handle.drop();
});

const as = (userId: string | null) => callerAs(db, userId);
const codeOf = (error: unknown) => (error instanceof TRPCError ? error.code : String(error));
const auditOf = (jobId: string, action: string) => db.select().from(auditLog).where(and(eq(auditLog.targetId, jobId), eq(auditLog.action, action)));

describe("rule A3: the dead-letter list", () => {
  it("rule A3, N1: a job out of retries is listed for its clinic's admin only, with when, attempts and the error", async () => {
    const { jobId, probeId } = await deadLetter(db, clinicId);

    const listed = (await as(users.admin).jobs.failed()).find((job) => job.id === jobId);
    expect(listed).toMatchObject({ queue: "queue.probe", attempts: 2, error: `Probe ${probeId} is not recorded.` });
    expect(listed?.failedAt.getTime()).toBeGreaterThanOrEqual(listed?.createdAt.getTime() ?? Infinity);

    // Another clinic's admin, the platform's own list, staff, a patient and a stranger: none of them.
    expect((await as(users.otherAdmin).jobs.failed()).map((job) => job.id)).not.toContain(jobId);
    expect((await as(users.platform).platformJobs.failed()).map((job) => job.id)).not.toContain(jobId);
    expect(codeOf(await as(users.staff).jobs.failed().catch((e: unknown) => e))).toBe("FORBIDDEN");
    expect(codeOf(await as(users.patient).jobs.failed().catch((e: unknown) => e))).toBe("FORBIDDEN");
    expect(codeOf(await as(null).jobs.failed().catch((e: unknown) => e))).toBe("UNAUTHORIZED");

    // Another clinic's admin cannot act on it by id either, and the job stays as it was.
    expect(codeOf(await as(users.otherAdmin).jobs.retry({ jobId }).catch((e: unknown) => e))).toBe("NOT_FOUND");
    expect(codeOf(await as(users.otherAdmin).jobs.discard({ jobId }).catch((e: unknown) => e))).toBe("NOT_FOUND");
    expect(codeOf(await as(users.platform).platformJobs.retry({ jobId }).catch((e: unknown) => e))).toBe("NOT_FOUND");
    expect((await jobRow(db, jobId))?.state).toBe("failed");
    expect(await auditOf(jobId, "job.retry")).toEqual([]);
  });

  it("rule A3: retry runs the job again (audited); discard removes it (audited)", async () => {
    const retried = await deadLetter(db, clinicId);
    // What made it fail is mended: its probe now exists, so the next run succeeds.
    await db.insert(queueProbes).values({ id: retried.probeId });
    await expect(as(users.admin).jobs.retry({ jobId: retried.jobId })).resolves.toEqual({ ok: true });
    await waitUntil("the retried job is worked", async () => (await jobRow(db, retried.jobId))?.state === "completed");
    expect((await db.select().from(queueProbes).where(eq(queueProbes.id, retried.probeId)))[0]?.attempts).toBe(1);
    expect((await as(users.admin).jobs.failed()).map((job) => job.id)).not.toContain(retried.jobId);
    expect(await auditOf(retried.jobId, "job.retry")).toMatchObject([{ clinicId, actorKind: "staff", actorId: users.admin, targetType: "job" }]);
    // Done once: a second retry finds nothing to retry.
    expect(codeOf(await as(users.admin).jobs.retry({ jobId: retried.jobId }).catch((e: unknown) => e))).toBe("NOT_FOUND");

    const discarded = await deadLetter(db, clinicId);
    await expect(as(users.admin).jobs.discard({ jobId: discarded.jobId })).resolves.toEqual({ ok: true });
    expect(await jobRow(db, discarded.jobId)).toBeNull();
    expect((await as(users.admin).jobs.failed()).map((job) => job.id)).not.toContain(discarded.jobId);
    expect(await auditOf(discarded.jobId, "job.discard")).toMatchObject([{ clinicId, actorKind: "staff", actorId: users.admin }]);
  });

  it("rule A3: the platform's own failed jobs (no clinic) are listed, retried and discarded in the platform area only", async () => {
    const platformJob = await deadLetter(db, null);
    expect((await as(users.platform).platformJobs.failed()).map((job) => job.id)).toContain(platformJob.jobId);
    expect((await as(users.admin).jobs.failed()).map((job) => job.id)).not.toContain(platformJob.jobId);
    expect(codeOf(await as(users.admin).jobs.discard({ jobId: platformJob.jobId }).catch((e: unknown) => e))).toBe("NOT_FOUND");
    expect(codeOf(await as(users.admin).platformJobs.failed().catch((e: unknown) => e))).toBe("FORBIDDEN");

    await expect(as(users.platform).platformJobs.discard({ jobId: platformJob.jobId })).resolves.toEqual({ ok: true });
    expect(await jobRow(db, platformJob.jobId)).toBeNull();
    expect(await auditOf(platformJob.jobId, "job.discard")).toMatchObject([{ clinicId: null, actorId: users.platform }]);
  });

  it("rule N4: a job id that is not one is refused with a message", async () => {
    const error = await as(users.admin).jobs.retry({ jobId: "not-a-job" }).catch((e: unknown) => e);
    expect(codeOf(error)).toBe("BAD_REQUEST");
    expect(String((error as Error).message)).toContain("That is not a job id.");
  });

  it("rule A3: the platform's probe shows the workers take jobs", async () => {
    const { probeId } = await as(users.platform).platformJobs.probe();
    await waitUntil("the probe is worked", async () => !!(await as(users.platform).platformJobs.latestProbe())?.workedAt);
    expect(await as(users.platform).platformJobs.latestProbe()).toMatchObject({ id: probeId, attempts: 1 });
  });
});
