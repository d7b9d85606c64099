import { z } from "zod";
import { EVENT_TYPES } from "@/db/schema";
import { ACTIVITY_CHANNELS, activityInput } from "@/server/schemas/activity";
import { staffActivityPage } from "@/server/services/insights/activity";
import { router, staffProcedure } from "@/server/trpc";

/** Rule N3: a row carries its sentence and the short name of the patient it is about, nothing more. */
const activityRow = z.object({
  id: z.uuid(),
  type: z.enum(EVENT_TYPES),
  createdAt: z.date(),
  summary: z.string(),
  note: z.string().nullable(),
  patient: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  channel: z.enum(ACTIVITY_CHANNELS).nullable(),
  amountCents: z.number().int().nullable(),
});

export const activityRouter = router({
  /** Rule C2: the clinic's timeline, filtered, newest first, one keyset page at a time. */
  list: staffProcedure
    .input(activityInput)
    .output(z.object({ rows: z.array(activityRow), olderCursor: z.string().nullable(), newerCursor: z.string().nullable() }))
    .query(({ ctx, input }) => staffActivityPage(ctx.service, input)),
});
