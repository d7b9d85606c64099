import { z } from "zod";
import { signUpInput } from "@/server/schemas/account";
import { registerPatient } from "@/server/services/accounts";
import { attributionCookieName } from "@/server/services/referrals";
import { publicProcedure, router } from "@/server/trpc";

export const accountRouter = router({
  /** Patient self sign-up; links the referral at this moment or never (rule P5). */
  signUp: publicProcedure
    .input(signUpInput)
    .output(z.object({ referralLinked: z.boolean(), notice: z.string().nullable() }))
    .mutation(async ({ ctx, input }) => {
      const result = await registerPatient(ctx.db, input, {
        attributionCode: ctx.cookie(attributionCookieName(input.clinicSlug)),
        fingerprint: ctx.fingerprint,
      });
      return { referralLinked: result.referralId !== null, notice: result.notice };
    }),
});
