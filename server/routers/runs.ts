import { z } from "zod";
import { RUN_NAMES, RUN_STATUSES } from "@/db/schema";
import { recentRuns } from "@/server/services/ops/runs";
import { adminProcedure, platformProcedure, router } from "@/server/trpc";

/** Rule A6: a run as the console shows it: what, for which period, how it went (no personal data). */
const runOutput = z.array(
  z.object({
    id: z.uuid(),
    name: z.enum(RUN_NAMES),
    period: z.string(),
    status: z.enum(RUN_STATUSES),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    result: z.record(z.string(), z.number()).nullable(),
    queuedAt: z.date(),
    startedAt: z.date().nullable(),
    finishedAt: z.date().nullable(),
  }),
);

export const runsRouter = router({
  /** The caller's clinic's recent scheduled runs (rule N1: that clinic's only). */
  clinic: adminProcedure.input(z.void()).output(runOutput).query(({ ctx }) => recentRuns(ctx.service)),
  /** The platform's own runs: reconciliation, the partner program's daily run, monthly payouts. */
  platform: platformProcedure.input(z.void()).output(runOutput).query(({ ctx }) => recentRuns(ctx.service)),
});
