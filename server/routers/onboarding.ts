import { z } from "zod";
import { startProgramInput } from "@/server/schemas/clinic-onboarding";
import { startProgram } from "@/server/services/clinics/onboarding";
import { limitPerNetwork } from "@/server/kernel/rate-limit";
import { publicProcedure, router } from "@/server/trpc";

export const onboardingRouter = router({
  /**
   * Issue 13: a practice signs itself up, clinic and first admin in one step; limited per network.
   * Rule N6: the same answer whether the address was new or already had a team account; the
   * outcome goes to the mailbox, and the next step is signing in either way.
   */
  startProgram: publicProcedure
    .input(startProgramInput)
    .output(z.object({ signInPath: z.literal("/signin") }))
    .mutation(async ({ ctx, input }) => {
      await limitPerNetwork(ctx.db, "startProgram", ctx.fingerprint.ipHash);
      await startProgram({ db: ctx.db }, input);
      return { signInPath: "/signin" as const };
    }),
});
