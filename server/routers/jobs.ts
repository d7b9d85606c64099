import { z } from "zod";
import { withTransaction } from "@/server/kernel/context";
import { QUEUE_NAMES } from "@/server/queue/names";
import { discardFailedJob, listFailedJobs, retryJob } from "@/server/services/ops/failed-jobs";
import { latestProbe, sendProbe } from "@/server/services/ops/queue-probes";
import { adminProcedure, platformProcedure, router } from "@/server/trpc";

/** Rule A3: the dead-letter list. Payloads stay out of it: ids mean nothing to a reader, and privacy (N3). */
const failedJobs = z.array(
  z.object({
    id: z.uuid(),
    queue: z.enum(QUEUE_NAMES),
    createdAt: z.date(),
    failedAt: z.date(),
    attempts: z.int().min(1),
    error: z.string().max(300),
  }),
);
const jobInput = z.strictObject({ jobId: z.uuid("That is not a job id.") });
const done = z.object({ ok: z.literal(true) });

/** Rules A3, N1: a clinic admin's failed jobs, their clinic's only. */
export const jobsRouter = router({
  failed: adminProcedure.output(failedJobs).query(({ ctx }) => listFailedJobs(ctx.service)),
  retry: adminProcedure
    .input(jobInput)
    .output(done)
    .mutation(async ({ ctx, input }) => {
      await retryJob(ctx.service, { jobId: input.jobId });
      return { ok: true as const };
    }),
  discard: adminProcedure
    .input(jobInput)
    .output(done)
    .mutation(async ({ ctx, input }) => {
      await discardFailedJob(ctx.service, { jobId: input.jobId });
      return { ok: true as const };
    }),
});

/** Rule A3: the platform's own failed jobs (those of no clinic), and a probe that shows the workers work. */
export const platformJobsRouter = router({
  failed: platformProcedure.output(failedJobs).query(({ ctx }) => listFailedJobs(ctx.service)),
  retry: platformProcedure
    .input(jobInput)
    .output(done)
    .mutation(async ({ ctx, input }) => {
      await retryJob(ctx.service, { jobId: input.jobId });
      return { ok: true as const };
    }),
  discard: platformProcedure
    .input(jobInput)
    .output(done)
    .mutation(async ({ ctx, input }) => {
      await discardFailedJob(ctx.service, { jobId: input.jobId });
      return { ok: true as const };
    }),
  probe: platformProcedure
    .output(z.object({ probeId: z.uuid() }))
    .mutation(async ({ ctx }) => ({ probeId: await withTransaction(ctx.service, (tx) => sendProbe(tx)) })),
  latestProbe: platformProcedure
    .output(z.object({ id: z.uuid(), createdAt: z.date(), workedAt: z.date().nullable(), attempts: z.int().min(0) }).nullable())
    .query(({ ctx }) => latestProbe(ctx.service)),
});
