import { z } from "zod";
import { platformClinics } from "@/server/services/platform";
import { platformProcedure, router } from "@/server/trpc";

export const platformRouter = router({
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
