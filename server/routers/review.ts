import { z } from "zod";
import { REFERRAL_STATUSES, REWARD_KINDS, REWARD_SIDES, REWARD_STATUSES } from "@/db/schema";
import { patientRewards } from "@/server/services/rewards/patient-rewards";
import { reviewOutputs } from "@/server/schemas/review-outputs";
import { adjustInput, attendanceInput, attributeInput, bookingInput, decisionInput, patientActionInput, refundInput, rewardActionInput } from "@/server/schemas/controls";
import { patientAppointments, recordAttendance, recordBooking } from "@/server/services/orders/appointments";
import { adjustBalance, attributeByHand, rerunRules, reverseRewardByHand, rotateCode } from "@/server/services/referrals/controls";
import { ORDER_STATUSES } from "@/db/schema";
import { refundOrder } from "@/server/services/orders/orders";
import { portalOrders } from "@/server/services/orders/portal";
import { approveReferral, rejectReferral, reviewQueue } from "@/server/services/referrals/review";
import { router, staffProcedure } from "@/server/trpc";

const person = z.object({ id: z.uuid(), firstName: z.string(), lastName: z.string(), email: z.string() });
const flag = z.object({ kind: z.enum(["same_ip", "same_device", "disposable_email", "velocity"]), evidence: z.string() });

/** Rules P6 and C4: the review queue and the manual controls. Every action takes a reason and is audited. */
export const reviewRouter = router({
  queue: staffProcedure
    .output(z.array(z.object({ id: z.uuid(), status: z.string(), flags: z.array(flag), createdAt: z.date(), referrer: person, referee: person })))
    .query(({ ctx }) => reviewQueue(ctx.db, { clinicId: ctx.clinicId, actor: ctx.actor })),

  approve: staffProcedure
    .input(decisionInput)
    .output(reviewOutputs.approve)
    .mutation(({ ctx, input }) => approveReferral(ctx.db, { clinicId: ctx.clinicId, actor: ctx.actor, ...input })),

  reject: staffProcedure
    .input(decisionInput)
    .output(reviewOutputs.reject)
    .mutation(({ ctx, input }) => rejectReferral(ctx.db, { clinicId: ctx.clinicId, actor: ctx.actor, ...input })),

  rerun: staffProcedure
    .input(decisionInput)
    .output(reviewOutputs.rerun)
    .mutation(({ ctx, input }) => rerunRules(ctx.db, { clinicId: ctx.clinicId, actor: ctx.actor, ...input })),

  adjust: staffProcedure
    .input(adjustInput)
    .output(reviewOutputs.adjust)
    .mutation(({ ctx, input }) => adjustBalance(ctx.db, { clinicId: ctx.clinicId, actor: ctx.actor, ...input })),

  attribute: staffProcedure
    .input(attributeInput)
    .output(reviewOutputs.attribute)
    .mutation(({ ctx, input }) => attributeByHand(ctx.db, { clinicId: ctx.clinicId, actor: ctx.actor, ...input })),

  reverseReward: staffProcedure
    .input(rewardActionInput)
    .output(reviewOutputs.reverseReward)
    .mutation(({ ctx, input }) => reverseRewardByHand(ctx.db, { clinicId: ctx.clinicId, actor: ctx.actor, ...input })),

  rotateCode: staffProcedure
    .input(patientActionInput)
    .output(reviewOutputs.rotateCode)
    .mutation(({ ctx, input }) => rotateCode(ctx.db, { clinicId: ctx.clinicId, actor: ctx.actor, ...input })),

  refund: staffProcedure
    .input(refundInput)
    .output(reviewOutputs.refund)
    .mutation(async ({ ctx, input }) => {
      const { order, reversal } = await refundOrder(ctx.service, input);
      return { orderId: order.id, status: order.status, reversal };
    }),

  book: staffProcedure
    .input(bookingInput)
    .output(reviewOutputs.appointment)
    .mutation(async ({ ctx, input }) => {
      const booked = await recordBooking(ctx.service, input);
      return { id: booked.id, status: booked.status };
    }),

  attend: staffProcedure
    .input(attendanceInput)
    .output(reviewOutputs.appointment)
    .mutation(async ({ ctx, input }) => {
      const attended = await recordAttendance(ctx.service, input);
      return { id: attended.id, status: attended.status };
    }),

  /** A patient's rewards and referrals, for reversing a reward or re-checking a referral by hand. */
  patientRewards: staffProcedure
    .input(z.object({ patientId: z.uuid() }))
    .output(
      z.object({
        rewards: z.array(
          z.object({
            id: z.uuid(),
            referralId: z.uuid(),
            side: z.enum(REWARD_SIDES),
            kind: z.enum(REWARD_KINDS),
            amount: z.number().int(),
            status: z.enum(REWARD_STATUSES),
            statusReason: z.string().nullable(),
            createdAt: z.date(),
          }),
        ),
        referrals: z.array(z.object({ id: z.uuid(), status: z.enum(REFERRAL_STATUSES), createdAt: z.date(), description: z.string() })),
      }),
    )
    .query(({ ctx, input }) => patientRewards(ctx.db, { clinicId: ctx.clinicId, patientId: input.patientId })),

  appointments: staffProcedure
    .input(z.object({ patientId: z.uuid() }))
    .output(z.array(z.object({ id: z.uuid(), status: z.string(), scheduledFor: z.date(), attendedAt: z.date().nullable() })))
    .query(({ ctx, input }) => patientAppointments(ctx.service, { patientId: input.patientId })),

  /** A patient's recent orders, so staff can pick the one to refund (rule P13). */
  patientOrders: staffProcedure
    .input(z.object({ patientId: z.uuid() }))
    .output(
      z.array(
        z.object({
          id: z.uuid(),
          status: z.enum(ORDER_STATUSES),
          items: z.array(z.object({ name: z.string(), quantity: z.number().int() })),
          totalCents: z.number().int(),
          chargedCents: z.number().int(),
          createdAt: z.date(),
        }),
      ),
    )
    .query(({ ctx, input }) => portalOrders(ctx.service, { patientId: input.patientId })),
});
