import { z } from "zod";
import { idempotencyKeyField } from "./orders";

const wholePoints = (what: string) => z.number({ error: `Enter ${what}.` }).int(`Enter ${what} as a whole number.`);

/** Rule P8: the clinic's conversion, as an admin sets it. */
export const pointConversionInput = z
  .object({
    enabled: z.boolean(),
    points: wholePoints("the points per block").min(1, "A block is at least 1 point.").max(1_000_000, "Keep a block under 1,000,000 points."),
    creditCents: z
      .number({ error: "Enter the credit a block buys." })
      .int("Enter the credit in whole cents.")
      .min(1, "A block buys at least $0.01.")
      .max(100_000, "A block buys at most $1,000.00."),
    minimumPoints: wholePoints("the minimum").max(10_000_000, "Keep the minimum under 10,000,000 points."),
  })
  .refine((v) => v.minimumPoints >= v.points, { path: ["minimumPoints"], message: "The minimum is at least one block of points." });

export const pointConversionOutput = z.object({ enabled: z.boolean(), points: z.int(), creditCents: z.int(), minimumPoints: z.int() }).nullable();

/** Rule P8: the patient converts some of their points; the key makes a double click convert once. */
export const convertPointsInput = z.object({
  points: wholePoints("how many points to convert").min(1, "Enter how many points to convert."),
  idempotencyKey: idempotencyKeyField,
});
