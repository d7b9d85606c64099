import { z } from "zod";
import { ACTOR_KINDS } from "@/server/events/actor";
import { auditFilter, cursorField } from "@/server/schemas/filters";
import { auditFilterOptions, auditPage } from "@/server/services/insights/audit-log";
import { adminProcedure, router } from "@/server/trpc";

const PAGE_SIZE = 50;

/** Rule C4: the clinic's audit log, read-only, for admins. */
export const auditRouter = router({
  list: adminProcedure
    .input(z.object({ filter: auditFilter.optional(), cursor: cursorField }))
    .output(
      z.object({
        rows: z.array(
          z.object({
            id: z.uuid(),
            action: z.string(),
            targetType: z.string(),
            targetId: z.uuid().nullable(),
            reason: z.string().nullable(),
            // Snapshots of what changed: JSON of any shape, but JSON (no functions, no class instances).
            before: z.json().nullable(),
            after: z.json().nullable(),
            createdAt: z.date(),
            // Rule C4: every kind of actor; a person also by account, the others by name alone.
            actor: z.strictObject({
              kind: z.enum(ACTOR_KINDS),
              name: z.string(),
              user: z.strictObject({ id: z.uuid(), firstName: z.string(), lastName: z.string(), email: z.string() }).nullable(),
            }),
          }),
        ),
        nextCursor: z.string().nullable(),
      }),
    )
    .query(({ ctx, input }) => auditPage(ctx.service, { filter: input.filter, cursor: input.cursor, limit: PAGE_SIZE })),

  filterOptions: adminProcedure
    .output(z.object({ actions: z.array(z.string()), staff: z.array(z.object({ id: z.uuid(), firstName: z.string(), lastName: z.string() })) }))
    .query(({ ctx }) => auditFilterOptions(ctx.service)),
});
