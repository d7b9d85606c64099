import { z } from "zod";
import { REFERRAL_STATUSES } from "@/db/schema";
import { appointmentOutput } from "@/server/schemas/appointments";
import { rewardOutput } from "@/server/schemas/rewards";
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
    .query(({ ctx }) => reviewQueue(ctx.service)),

  approve: staffProcedure
    .input(decisionInput)
    .output(reviewOutputs.approve)
    .mutation(({ ctx, input }) => approveReferral(ctx.service, input)),

  reject: staffProcedure
    .input(decisionInput)
    .output(reviewOutputs.reject)
    .mutation(({ ctx, input }) => rejectReferral(ctx.service, input)),

  rerun: staffProcedure
    .input(decisionInput)
    .output(reviewOutputs.rerun)
    .mutation(({ ctx, input }) => rerunRules(ctx.service, input)),

  adjust: staffProcedure
    .input(adjustInput)
    .output(reviewOutputs.adjust)
    .mutation(({ ctx, input }) => adjustBalance(ctx.service, input)),

  attribute: staffProcedure
    .input(attributeInput)
    .output(reviewOutputs.attribute)
    .mutation(({ ctx, input }) => attributeByHand(ctx.service, input)),

  reverseReward: staffProcedure
    .input(rewardActionInput)
    .output(reviewOutputs.reverseReward)
    .mutation(({ ctx, input }) => reverseRewardByHand(ctx.service, input)),

  rotateCode: staffProcedure
    .input(patientActionInput)
    .output(reviewOutputs.rotateCode)
    .mutation(({ ctx, input }) => rotateCode(ctx.service, input)),

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
        rewards: z.array(rewardOutput.extend({ referralId: z.uuid(), statusReason: z.string().nullable() })),
        referrals: z.array(z.object({ id: z.uuid(), status: z.enum(REFERRAL_STATUSES), createdAt: z.date(), description: z.string() })),
      }),
    )
    .query(({ ctx, input }) => patientRewards(ctx.service, { patientId: input.patientId })),

  appointments: staffProcedure
    .input(z.object({ patientId: z.uuid() }))
    .output(z.array(appointmentOutput.omit({ patientId: true })))
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
