import { eq } from "drizzle-orm";
import { z } from "zod";
import { clinics, users } from "@/db/schema";
import { authSecret } from "@/server/env";
import { resendLinkInput, statusTokenInput, submitReferralInput } from "@/server/schemas/b2b";
import { partnerStatusOutput } from "@/server/schemas/b2b-outputs";
import { confirmAddress } from "@/server/services/partners/proof";
import { resendStatusLink, statusByToken } from "@/server/services/partners/status";
import { submitReferral } from "@/server/services/partners/submissions";
import { hashIp } from "@/server/http/clicks";
import { hitRateLimit, limitPerNetwork } from "@/server/kernel/rate-limit";
import { publicProcedure, router } from "@/server/trpc";

const HOUR = 3_600;

/** Rule B1/B5: the public side of the practice partner program. No sign-in; the status token is the only secret. */
export const partnerRouter = router({
  /** Signed-in clinic staff get the form prefilled with themselves and their practice. */
  prefill: publicProcedure
    .output(z.object({ referrerName: z.string(), referrerEmail: z.string(), referrerOrganization: z.string() }).nullable())
    .query(async ({ ctx }) => {
      const userId = await ctx.sessionUserId();
      if (!userId) return null;
      const [row] = await ctx.db
        .select({ firstName: users.firstName, lastName: users.lastName, email: users.email, role: users.role, clinic: clinics.name })
        .from(users)
        .innerJoin(clinics, eq(clinics.id, users.clinicId))
        .where(eq(users.id, userId));
      if (!row || (row.role !== "staff" && row.role !== "admin")) return null;
      return { referrerName: `${row.firstName} ${row.lastName}`, referrerEmail: row.email, referrerOrganization: row.clinic };
    }),

  submit: publicProcedure
    .input(submitReferralInput)
    .output(z.object({ token: z.string(), duplicate: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const ipHash = ctx.fingerprint.ipHash;
      // Spam protection a person never notices: a per-address limit shared by every instance.
      await limitPerNetwork(ctx.db, "partnerSubmit", ipHash);
      return submitReferral({ db: ctx.db }, { ...input, ipHash, sessionUserId: await ctx.sessionUserId() });
    }),

  status: publicProcedure
    .input(statusTokenInput)
    .output(partnerStatusOutput)
    .query(({ ctx, input }) => statusByToken({ db: ctx.db }, { token: input.token })),

  /** Item 8 of issue 7: the reader of an emailed link confirms the address, and its payouts become theirs. */
  confirmAddress: publicProcedure
    .input(statusTokenInput)
    .output(z.object({ confirmed: z.literal(true) }))
    .mutation(({ ctx, input }) => confirmAddress({ db: ctx.db }, { token: input.token })),

  resendLink: publicProcedure
    .input(resendLinkInput)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await limitPerNetwork(ctx.db, "partnerResend", ctx.fingerprint.ipHash);
      await hitRateLimit(ctx.db, { key: `b2b-resend-email:${hashIp(input.email.toLowerCase(), authSecret())}`, limit: 3, windowSeconds: HOUR });
      await resendStatusLink({ db: ctx.db }, { email: input.email });
      return { ok: true as const };
    }),
});
