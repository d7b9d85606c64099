import { z } from "zod";
import { checkoutInput } from "@/server/schemas/orders";
import { clinicPatient } from "@/server/services/accounts";
import { activeCode } from "@/server/services/codes";
import { checkout, clinicCatalog, patientOrders } from "@/server/services/orders";
import { clinicById, getProgram, learnMoreHref } from "@/server/services/programs";
import { referralsOfReferrer } from "@/server/services/referrals";
import { creditBalance, ledgerHistory } from "@/server/services/rewards";
import { patientProcedure, router } from "@/server/trpc";

const referralStatus = z.enum(["signed_up", "qualified", "ineligible"]);

export const portalRouter = router({
  /** Rules P3 and P15: the link, the code and the balance. */
  overview: patientProcedure
    .output(
      z.object({
        firstName: z.string(),
        clinicName: z.string(),
        code: z.string().nullable(),
        balanceCents: z.number().int(),
        programEnabled: z.boolean(),
        referrerRewardCents: z.number().int(),
        refereeRewardCents: z.number().int(),
        learnMoreHref: z.string(),
      }),
    )
    .query(async ({ ctx }) => {
      const [patient, code, balanceCents, program, clinic] = await Promise.all([
        clinicPatient(ctx.db, { clinicId: ctx.clinicId, patientId: ctx.userId }),
        activeCode(ctx.db, ctx.userId),
        creditBalance(ctx.db, ctx.userId),
        getProgram(ctx.db, ctx.clinicId),
        clinicById(ctx.db, ctx.clinicId),
      ]);
      return {
        firstName: patient.firstName,
        clinicName: clinic.name,
        code: code?.code ?? null,
        balanceCents,
        programEnabled: program.enabled,
        referrerRewardCents: program.referrerRewardCents,
        refereeRewardCents: program.refereeRewardCents,
        learnMoreHref: learnMoreHref(program, clinic.slug),
      };
    }),

  ledger: patientProcedure.query(({ ctx }) => ledgerHistory(ctx.db, { clinicId: ctx.clinicId, patientId: ctx.userId })),

  /** Rule P15: referees as first name and last initial, nothing more. */
  referrals: patientProcedure
    .output(
      z.array(
        z.object({
          id: z.uuid(),
          refereeName: z.string(),
          status: referralStatus,
          ineligibleReason: z.string().nullable(),
          referrerRewardCents: z.number().int(),
          createdAt: z.date(),
          qualifiedAt: z.date().nullable(),
        }),
      ),
    )
    .query(({ ctx }) => referralsOfReferrer(ctx.db, { clinicId: ctx.clinicId, referrerId: ctx.userId })),

  catalog: patientProcedure.query(({ ctx }) => clinicCatalog(ctx.db, ctx.clinicId)),

  orders: patientProcedure.query(({ ctx }) => patientOrders(ctx.db, { clinicId: ctx.clinicId, patientId: ctx.userId })),

  /** Rule P9: credit is applied first, automatically; the card pays the rest. */
  checkout: patientProcedure
    .input(checkoutInput)
    .output(
      z.object({
        id: z.uuid(),
        status: z.enum(["pending", "paid", "declined"]),
        totalCents: z.number().int(),
        creditAppliedCents: z.number().int(),
        chargedCents: z.number().int(),
        declineReason: z.string().nullable(),
      }),
    )
    .mutation(({ ctx, input }) =>
      checkout(ctx.db, ctx.payments, { clinicId: ctx.clinicId, patientId: ctx.userId, ...input }),
    ),
});
