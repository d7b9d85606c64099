import { z } from "zod";
import { centsField } from "./money";

export const programSettingsInput = z.object({
  enabled: z.boolean(),
  referrerRewardCents: centsField("Referrer reward", { max: 100_000 }),
  refereeRewardCents: centsField("New patient reward", { max: 100_000 }),
  attributionWindowDays: z
    .number({ error: "Enter the attribution window in days." })
    .int("Enter a whole number of days.")
    .min(1, "The attribution window must be at least 1 day.")
    .max(365, "The attribution window can be at most 365 days."),
  learnMoreUrl: z
    .url({ protocol: /^https?$/, error: "Enter a full web address starting with https://" })
    .max(500)
    .nullish(),
});
export type ProgramSettingsInput = z.infer<typeof programSettingsInput>;
