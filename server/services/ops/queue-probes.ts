import { desc, eq, sql } from "drizzle-orm";
import { queueProbes } from "@/db/schema";
import type { PlatformContext } from "@/server/kernel/context";
import { enqueue } from "@/server/queue/boss";
import { JobError } from "@/server/queue/job-error";

export type ProbeStatus = { id: string; createdAt: Date; workedAt: Date | null; attempts: number };

/**
 * Rule A3: records a probe and sends its job in the same transaction, so a probe the caller
 * rolls back never reaches a worker and a committed one always does (`ctx.db` is that transaction).
 */
export async function sendProbe(ctx: PlatformContext): Promise<string> {
  const tx = ctx.db;
  const [probe] = await tx.insert(queueProbes).values({}).returning({ id: queueProbes.id });
  if (!probe) throw new Error("the probe was not recorded");
  await enqueue(tx, "queue.probe", { clinicId: null, probeId: probe.id });
  return probe.id;
}

/** The worker's half: stamps the probe once and counts every run, so a job worked twice shows. */
export async function workProbe(ctx: PlatformContext, input: { probeId: string }): Promise<void> {
  const { probeId } = input;
  const stamped = await ctx.db
    .update(queueProbes)
    .set({ workedAt: sql`coalesce(${queueProbes.workedAt}, now())`, attempts: sql`${queueProbes.attempts} + 1` })
    .where(eq(queueProbes.id, probeId))
    .returning({ id: queueProbes.id });
  // Sent only beside its row, so a probe without one is a fault worth listing among the failed jobs.
  if (!stamped.length) throw new JobError(`Probe ${probeId} is not recorded.`);
}

/** The latest probe, for the platform's queue page: sent when, worked when. */
export async function latestProbe(ctx: PlatformContext): Promise<ProbeStatus | null> {
  const [probe] = await ctx.db.select().from(queueProbes).orderBy(desc(queueProbes.createdAt)).limit(1);
  return probe ?? null;
}
