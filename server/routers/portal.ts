import { z } from "zod";
import { ORDER_STATUSES, QUALIFYING_EVENTS, REFERRAL_STATUSES, REWARD_KINDS } from "@/db/schema";
import { ledgerEntryOutput } from "@/server/schemas/rewards";
import { brandColorOf } from "@/server/schemas/brand";
import { checkoutInput } from "@/server/schemas/orders";
import { clinicPatient } from "@/server/auth/accounts";
import { activeCode } from "@/server/services/referrals/codes";
import { checkout, clinicCatalog } from "@/server/services/orders/orders";
import { portalOrders } from "@/server/services/orders/portal";
import { clinicById, getProgram, learnMoreHref } from "@/server/services/programs/programs";
import { REFERRER_VISIBLE_REASONS, referralsOfReferrer } from "@/server/services/referrals/referrals";
import { recordSighting } from "@/server/services/referrals/fraud";
import { balances, ledgerHistory } from "@/server/services/rewards/ledger";
import { acceptedTermsVersion, acceptTerms, qualifiedCount } from "@/server/services/referrals/terms";
import { patientProcedure, router } from "@/server/trpc";
import { convertPointsInput, pointConversionOutput } from "@/server/schemas/points";
import { convertPoints, pointConversion } from "@/server/services/rewards/points";

const referralStatus = z.enum(REFERRAL_STATUSES);
const reward = z.object({ kind: z.enum(REWARD_KINDS), amount: z.number().int() });
const orderStatus = z.enum(ORDER_STATUSES);

export const portalRouter = router({
  /** Rule P8: the clinic's conversion, when it converts points at all. */
  pointConversion: patientProcedure
    .output(pointConversionOutput)
    .query(async ({ ctx }) => {
      const rule = await pointConversion(ctx.service);
      return rule?.enabled ? rule : null;
    }),

  /** Rule P8: points into credit, in whole blocks; the key converts a double click once. */
  convertPoints: patientProcedure
    .input(convertPointsInput)
    .output(z.object({ points: z.int(), creditCents: z.int(), balance: z.object({ credit: z.int(), points: z.int() }) }))
    .mutation(({ ctx, input }) => convertPoints(ctx.service, { ...input, patientId: ctx.userId })),

  /** Rules P3 and P15: the link, the code and the balance. */
  overview: patientProcedure
    .output(
      z.object({
        firstName: z.string(),
        clinicName: z.string(),
        /** Issue 13: the portal wears the clinic's colour (a `#rrggbb` or none). */
        brandColor: z.string().nullable(),
        code: z.string().nullable(),
        balanceCents: z.number().int(),
        pointsBalance: z.number().int(),
        programEnabled: z.boolean(),
        referrerReward: reward,
        refereeReward: reward,
        qualifyingEvent: z.enum(QUALIFYING_EVENTS),
        learnMoreHref: z.string(),
        termsVersion: z.number().int(),
        termsText: z.string(),
        termsAccepted: z.boolean(),
        milestones: z.array(z.object({ threshold: z.number().int(), kind: z.enum(REWARD_KINDS), amount: z.number().int() })),
        qualifiedReferrals: z.number().int(),
      }),
    )
    .query(async ({ ctx }) => {
      const [patient, code, held, program, clinic, accepted, qualifiedReferrals] = await Promise.all([
        clinicPatient(ctx.db, { clinicId: ctx.clinicId, patientId: ctx.userId }),
        activeCode(ctx.service, { patientId: ctx.userId }),
        balances(ctx.service, { patientId: ctx.userId }),
        getProgram(ctx.service),
        clinicById(ctx.service),
        acceptedTermsVersion(ctx.service, { patientId: ctx.userId }),
        qualifiedCount(ctx.service, { referrerId: ctx.userId }),
        // Rule P6: where the referrer is seen, to spot a referee signing up from the same place.
        recordSighting(ctx.service, { patientId: ctx.userId, ...ctx.fingerprint }),
      ]);
      const v = program.version;
      const termsAccepted = accepted !== null && accepted >= v.termsVersion;
      return {
        firstName: patient.firstName,
        clinicName: clinic.name,
        brandColor: brandColorOf(clinic.brandColor),
        // Rule P14: the code (and so the link and QR built from it) only once the current terms are accepted.
        code: termsAccepted ? (code?.code ?? null) : null,
        balanceCents: held.credit,
        pointsBalance: held.points,
        programEnabled: program.enabled,
        referrerReward: { kind: v.referrerRewardKind, amount: v.referrerRewardAmount },
        refereeReward: { kind: v.refereeRewardKind, amount: v.refereeRewardAmount },
        qualifyingEvent: v.qualifyingEvent,
        learnMoreHref: learnMoreHref(v, clinic.slug),
        termsVersion: v.termsVersion,
        termsText: v.termsText,
        termsAccepted,
        milestones: v.milestones,
        qualifiedReferrals,
      };
    }),

  /** Rule P15: the balance's full history. */
  /** Rule P14: the patient accepts the program terms they were shown, by version. */
  acceptTerms: patientProcedure
    .input(z.object({ termsVersion: z.number().int().min(1) }))
    .output(z.object({ accepted: z.boolean() }))
    .mutation(async ({ ctx, input }) => acceptTerms(ctx.service, { patientId: ctx.userId, termsVersion: input.termsVersion })),

  ledger: patientProcedure
    .output(z.array(ledgerEntryOutput))
    .query(({ ctx }) => ledgerHistory(ctx.service, { patientId: ctx.userId })),

  /** Rule P15: referees as first name and last initial, nothing more. */
  referrals: patientProcedure
    .output(
      z.array(
        z.object({
          id: z.uuid(),
          refereeName: z.string(),
          status: referralStatus,
          ineligibleReason: z.enum(REFERRER_VISIBLE_REASONS).nullable(),
          underReview: z.boolean(),
          referrerReward: reward,
          qualifyingEvent: z.enum(QUALIFYING_EVENTS),
          createdAt: z.date(),
          qualifiedAt: z.date().nullable(),
        }),
      ),
    )
    .query(({ ctx }) => referralsOfReferrer(ctx.service, { referrerId: ctx.userId })),

  catalog: patientProcedure
    .output(
      z.array(z.object({ id: z.uuid(), name: z.string(), description: z.string(), priceCents: z.number().int() })),
    )
    .query(({ ctx }) => clinicCatalog(ctx.service)),

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
    .query(({ ctx }) => portalOrders(ctx.service, { patientId: ctx.userId })),

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
      checkout(ctx.service, ctx.payments, { patientId: ctx.userId, ...input }),
    ),
});
