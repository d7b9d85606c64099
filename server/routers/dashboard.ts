import { z } from "zod";
import { DASHBOARD_PERIODS, dashboardInput } from "@/server/schemas/dashboard";
import { dashboardStats } from "@/server/services/insights/dashboard";
import { firstRunChecklist } from "@/server/services/clinics/first-run";
import { router, staffProcedure } from "@/server/trpc";

const count = z.number().int().nonnegative();
const cents = z.number().int();

export const dashboardRouter = router({
  /** Issue 13: the steps of setting the clinic up, each read from what the clinic has. */
  checklist: staffProcedure
    .output(
      z.array(
        z.object({
          id: z.enum(["profile", "services", "rewards", "patients", "agreement", "live"]),
          done: z.boolean(),
          waitingFor: z.enum(["email_confirmation", "agreement"]).nullable(),
        }),
      ),
    )
    .query(({ ctx }) => firstRunChecklist(ctx.service)),

  /** Rule C1: aggregates for a period; the leaderboard names referrers by first name and initial. */
  stats: staffProcedure
    .input(dashboardInput)
    .output(
      z.object({
        period: z.enum(DASHBOARD_PERIODS),
        from: z.string().nullable(),
        to: z.string(),
        // The last day the stored stats hold (null before the clinic's first rollup); the days after it are counted live.
        rolledUpThrough: z.string().nullable(),
        hasActivity: z.boolean(),
        totals: z.object({ clicks: count, signUps: count, qualified: count, rewardsIssuedCents: cents, rewardsRedeemedCents: cents, revenueCents: cents }),
        funnel: z.object({ clickToSignUp: z.number().nullable(), signUpToQualified: z.number().nullable(), clickToQualified: z.number().nullable() }),
        series: z.array(z.object({ bucket: z.string(), clicks: count, signUps: count, qualified: count })),
        channels: z.array(z.object({ channel: z.string(), clicks: count })),
        leaderboard: z.array(z.object({ patientId: z.uuid(), name: z.string(), qualified: count })),
      }),
    )
    .query(({ ctx, input }) => dashboardStats(ctx.service, { period: input.period })),
});
