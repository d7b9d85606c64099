import { z } from "zod";
import { multiLine } from "./text";
import { OVER_CAP_ACTIONS, QUALIFYING_EVENTS, REWARD_KINDS } from "@/db/schema/program-versions";
import { centsField } from "./money";

const whole = (label: string, min: number, max: number) =>
  z
    .number({ error: `${label}: enter a number.` })
    .int(`${label}: enter a whole number.`)
    .min(min, `${label} must be at least ${min}.`)
    .max(max, `${label} can be at most ${max}.`);

/** Rule P8: money credit in cents, points, or a percent off the next order. */
export const rewardInput = z
  .object({ kind: z.enum(REWARD_KINDS), amount: whole("Reward amount", 0, 100_000) })
  .refine((r) => r.kind !== "percent" || r.amount <= 100, { message: "A percent discount can be at most 100%.", path: ["amount"] });

const milestoneInput = z.object({
  threshold: whole("Milestone", 2, 1000),
  kind: z.enum(REWARD_KINDS),
  amount: whole("Milestone bonus", 1, 100_000),
});

export const programSettingsInput = z
  .object({
    enabled: z.boolean(),
    referrerReward: rewardInput,
    refereeReward: rewardInput,
    qualifyingEvent: z.enum(QUALIFYING_EVENTS),
    attributionWindowDays: whole("The attribution window", 1, 365),
    maxRewardedPerYear: whole("Rewarded referrals per year", 1, 10_000).nullable(),
    maxRewardedLifetime: whole("Rewarded referrals in total", 1, 100_000).nullable(),
    maxRewardValuePerYearCents: centsField("Yearly reward value", { min: 1, max: 10_000_000 }).nullable(),
    milestones: z
      .array(milestoneInput)
      .max(10, "At most 10 milestones.")
      .refine((m) => new Set(m.map((x) => x.threshold)).size === m.length, "Each milestone needs its own number of referrals."),
    rewardExpiryDays: whole("Expiry", 1, 3650).nullable(),
    expiryReminderDays: whole("Reminder", 1, 365),
    holdDays: whole("Hold window", 0, 365),
    learnMoreUrl: z
      .url({ protocol: /^https?$/, error: "Enter a full web address starting with https://" })
      .max(500)
      .nullable(),
    termsText: multiLine().max(20_000, "The terms can be at most 20,000 characters."),
    velocityLimitPerDay: whole("Referrals per day before review", 1, 1000),
    governmentItemCapCents: centsField("Per-reward cap", { min: 0, max: 100_000 }),
    governmentYearCapCents: centsField("Yearly cap", { min: 0, max: 1_000_000 }),
    governmentOverCapAction: z.enum(OVER_CAP_ACTIONS),
  })
  .refine((s) => s.expiryReminderDays < (s.rewardExpiryDays ?? Infinity), {
    message: "The reminder must come before the rewards expire.",
    path: ["expiryReminderDays"],
  });
export type ProgramSettingsInput = z.infer<typeof programSettingsInput>;
