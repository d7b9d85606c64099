import { z } from "zod";
import { signUpInput } from "@/server/schemas/account";
import { registerPatient } from "@/server/services/patients/sign-up";
import { signInPath } from "@/server/auth/accounts";
import { limitPerNetwork } from "@/server/kernel/rate-limit";
import { attributionCookieName } from "@/server/services/referrals/referrals";
import { publicProcedure, router } from "@/server/trpc";

export const accountRouter = router({
  /**
   * Patient self sign-up; links the referral at this moment or never (rule P5). Rule N6: the
   * answer is the same whether the email already had an account at this clinic or not; the
   * outcome goes to the mailbox, and the next step is the clinic's sign-in page either way.
   */
  signUp: publicProcedure
    .input(signUpInput)
    .output(z.object({ signInPath: z.string() }))
    .mutation(async ({ ctx, input }) => {
      await limitPerNetwork(ctx.db, "signUp", ctx.fingerprint.ipHash);
      await registerPatient(
        { db: ctx.db },
        {
          ...input,
          attributionCode: ctx.cookie(attributionCookieName(input.clinicSlug)),
          fingerprint: ctx.fingerprint,
        },
      );
      return { signInPath: signInPath(input.clinicSlug) };
    }),
});
