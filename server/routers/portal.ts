import { z } from "zod";
import { INELIGIBLE_REASONS, LEDGER_KINDS, ORDER_STATUSES, REFERRAL_STATUSES } from "@/db/schema";
import { checkoutInput } from "@/server/schemas/orders";
import { clinicPatient } from "@/server/services/accounts";
import { activeCode } from "@/server/services/codes";
import { checkout, clinicCatalog } from "@/server/services/orders";
import { portalOrders } from "@/server/services/portal-orders";
import { clinicById, getProgram, learnMoreHref } from "@/server/services/programs";
import { referralsOfReferrer } from "@/server/services/referrals";
import { creditBalance, ledgerHistory } from "@/server/services/rewards";
import { patientProcedure, router } from "@/server/trpc";

const referralStatus = z.enum(REFERRAL_STATUSES);
const orderStatus = z.enum(ORDER_STATUSES);

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

  /** Rule P15: the balance's full history. */
  ledger: patientProcedure
    .output(
      z.array(
        z.object({
          id: z.uuid(),
          kind: z.enum(LEDGER_KINDS),
          amountCents: z.number().int(),
          memo: z.string(),
          expiresAt: z.date().nullable(),
          createdAt: z.date(),
        }),
      ),
    )
    .query(({ ctx }) => ledgerHistory(ctx.db, { clinicId: ctx.clinicId, patientId: ctx.userId })),

  /** Rule P15: referees as first name and last initial, nothing more. */
  referrals: patientProcedure
    .output(
      z.array(
        z.object({
          id: z.uuid(),
          refereeName: z.string(),
          status: referralStatus,
          ineligibleReason: z.enum(INELIGIBLE_REASONS).nullable(),
          referrerRewardCents: z.number().int(),
          createdAt: z.date(),
          qualifiedAt: z.date().nullable(),
        }),
      ),
    )
    .query(({ ctx }) => referralsOfReferrer(ctx.db, { clinicId: ctx.clinicId, referrerId: ctx.userId })),

  catalog: patientProcedure
    .output(
      z.array(z.object({ id: z.uuid(), name: z.string(), description: z.string(), priceCents: z.number().int() })),
    )
    .query(({ ctx }) => clinicCatalog(ctx.db, ctx.clinicId)),

  orders: patientProcedure
    .output(
      z.array(
        z.object({
          id: z.uuid(),
          status: orderStatus,
          items: z.array(z.object({ name: z.string(), quantity: z.number().int() })),
          totalCents: z.number().int(),
          creditAppliedCents: z.number().int(),
          chargedCents: z.number().int(),
          cardLast4: z.string().nullable(),
          declineReason: z.string().nullable(),
          createdAt: z.date(),
        }),
      ),
    )
    .query(({ ctx }) => portalOrders(ctx.db, { clinicId: ctx.clinicId, patientId: ctx.userId })),

  /** Rule P9: credit is applied first, automatically; the card pays the rest. */
  checkout: patientProcedure
    .input(checkoutInput)
    .output(
      z.object({
        id: z.uuid(),
        status: orderStatus,
        totalCents: z.number().int(),
        creditAppliedCents: z.number().int(),
        chargedCents: z.number().int(),
        cardLast4: z.string().nullable(),
        declineReason: z.string().nullable(),
      }),
    )
    .mutation(({ ctx, input }) =>
      checkout(ctx.db, ctx.payments, { clinicId: ctx.clinicId, patientId: ctx.userId, ...input }),
    ),
});
