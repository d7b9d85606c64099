import { z } from "zod";
import { APPOINTMENT_STATUSES, INELIGIBLE_REASONS, ORDER_STATUSES, REFERRAL_STATUSES, REWARD_KINDS } from "@/db/schema";

/** Rule P13: what a reversal did, redeemed value reported rather than clawed back. */
export const reversalReportOutput = z.object({ rewardId: z.uuid(), patientId: z.uuid(), reversed: z.number().int(), alreadyRedeemed: z.number().int(), kind: z.enum(REWARD_KINDS) });

/** What the console's manual controls answer (rule C4): ids and outcomes, never whole rows. */
export const reviewOutputs = {
  approve: z.object({ referralId: z.uuid(), released: z.number().int() }),
  reject: z.object({ referralId: z.uuid() }),
  rerun: z.object({ status: z.enum(REFERRAL_STATUSES) }),
  adjust: z.object({ applied: z.number().int() }),
  attribute: z.object({ referralId: z.uuid(), status: z.enum(REFERRAL_STATUSES), ineligibleReason: z.enum(INELIGIBLE_REASONS).nullable() }),
  reverseReward: reversalReportOutput,
  rotateCode: z.object({ code: z.string() }),
  refund: z.object({ orderId: z.uuid(), status: z.enum(ORDER_STATUSES), reversal: z.array(reversalReportOutput).nullable() }),
  appointment: z.object({ id: z.uuid(), status: z.enum(APPOINTMENT_STATUSES) }),
};
