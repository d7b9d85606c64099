import { z } from "zod";
import { createClinicInput } from "@/server/schemas/clinic-onboarding";
import { createClinic, setClinicPaused } from "@/server/services/clinic-onboarding";
import { platformClinics } from "@/server/services/platform";
import { platformProcedure, router } from "@/server/trpc";

export const platformRouter = router({
  /** Issue 13: a new clinic, its program paused, its first admin invited by email. */
  createClinic: platformProcedure
    .input(createClinicInput)
    .output(z.object({ clinicId: z.uuid() }))
    .mutation(({ ctx, input }) => createClinic(ctx.db, ctx.actor, input)),

  /** Rule P1: the platform pauses or resumes a clinic's program. */
  setClinicPaused: platformProcedure
    .input(z.object({ clinicId: z.uuid(), paused: z.boolean() }))
    .output(z.object({ paused: z.boolean() }))
    .mutation(({ ctx, input }) => setClinicPaused(ctx.db, ctx.actor, input)),

  /** The clinics on the platform, with counts only: no clinic's patients leave it (rule N1). */
  clinics: platformProcedure
    .output(
      z.array(
        z.object({
          id: z.uuid(),
          name: z.string(),
          slug: z.string(),
          programEnabled: z.boolean(),
          patientCount: z.number().int(),
          referralCount: z.number().int(),
          createdAt: z.date(),
        }),
      ),
    )
    .query(({ ctx }) => platformClinics(ctx.db)),
});
