import { z } from "zod";
import { createClinicInput } from "@/server/schemas/clinic-onboarding";
import { createClinic, setClinicPaused } from "@/server/services/clinics/onboarding";
import { sendingBudgetOutput, setSendingBudgetInput } from "@/server/schemas/sending-budget";
import { platformClinics } from "@/server/services/clinics/platform";
import { setSendingBudget } from "@/server/messaging/sending-budget";
import { platformProcedure, router } from "@/server/trpc";

export const platformRouter = router({
  /** Issue 13: a new clinic, its program paused, its first admin invited by email. */
  createClinic: platformProcedure
    .input(createClinicInput)
    .output(z.object({ clinicId: z.uuid() }))
    .mutation(({ ctx, input }) => createClinic(ctx.service, input)),

  /** Rule P1: the platform pauses or resumes a clinic's program. */
  setClinicPaused: platformProcedure
    .input(z.object({ clinicId: z.uuid(), paused: z.boolean() }))
    .output(z.object({ paused: z.boolean() }))
    .mutation(({ ctx, input }) => setClinicPaused({ ...ctx.service, clinicId: input.clinicId }, { paused: input.paused })),

  /** Issue 19: a clinic's daily sending budget for its first 30 days after signing itself up; audited. */
  setSendingBudget: platformProcedure
    .input(setSendingBudgetInput)
    .output(sendingBudgetOutput)
    .mutation(({ ctx, input }) => setSendingBudget(ctx.db, ctx.actor, input)),

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
          selfSignedUpAt: z.date().nullable(),
          sendingBudgetPerDay: z.number().int(),
        }),
      ),
    )
    .query(({ ctx }) => platformClinics(ctx.service)),
});
