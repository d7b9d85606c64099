import { z } from "zod";
import { multiLine, singleLine, token } from "./text";
import { LEDGER_UNITS } from "@/db/schema/ledger";
import { idempotencyKeyField } from "./orders";

export const reasonField = multiLine()
  .min(3, "Give a reason of at least 3 characters; it goes in the audit log.")
  .max(500, "Keep the reason under 500 characters.");

export const decisionInput = z.object({ referralId: z.uuid(), reason: reasonField });

export const adjustInput = z.object({
  patientId: z.uuid(),
  unit: z.enum(LEDGER_UNITS),
  amount: z
    .number({ error: "Enter an amount." })
    .int("Enter whole cents or points.")
    .refine((n) => n !== 0, "Enter an amount other than zero.")
    .refine((n) => Math.abs(n) <= 100_000, "Adjust at most 100,000 at a time."),
  reason: reasonField,
  // Rule N2: one key per form, so a double submission adjusts once.
  idempotencyKey: idempotencyKeyField,
});

export const attributeInput = z.object({ refereeId: z.uuid(), referrerCode: singleLine().min(4, "Enter the referrer's code.").max(20), reason: reasonField });
export const rewardActionInput = z.object({ rewardId: z.uuid(), reason: reasonField });
export const patientActionInput = z.object({ patientId: z.uuid(), reason: reasonField });
export const refundInput = z.object({ orderId: z.uuid(), reason: reasonField });
export const bookingInput = z.object({
  patientId: z.uuid(),
  scheduledFor: z.coerce.date({ error: "Enter the appointment date and time." }),
  idempotencyKey: token(8, 100),
});
export const attendanceInput = z.object({ appointmentId: z.uuid() });
