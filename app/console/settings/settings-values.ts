import type { FieldErrors } from "@/app/_trpc/errors";
import { parseDollars } from "@/server/schemas/money";
import { programSettingsInput, type ProgramSettingsInput } from "@/server/schemas/program";
import type { RouterOutputs } from "@/server/root";

export type Program = RouterOutputs["clinic"]["program"];
type Kind = Program["referrerReward"]["kind"];

/** One row of the milestones editor; `key` keeps React's rows stable while rows come and go. */
export type MilestoneValues = { key: string; threshold: string; kind: Kind; amount: string };

/** What the admin typed: strings, so a half-typed number is kept until it is checked. */
export type Values = {
  enabled: boolean;
  referrerKind: Kind;
  referrerAmount: string;
  refereeKind: Kind;
  refereeAmount: string;
  qualifyingEvent: Program["qualifyingEvent"];
  attributionWindowDays: string;
  maxRewardedPerYear: string;
  maxRewardedLifetime: string;
  maxRewardValuePerYear: string;
  milestones: MilestoneValues[];
  rewardExpiryDays: string;
  expiryReminderDays: string;
  holdDays: string;
  learnMoreUrl: string;
  termsText: string;
  velocityLimitPerDay: string;
  governmentItemCap: string;
  governmentYearCap: string;
  governmentOverCapAction: Program["governmentOverCapAction"];
};

export const dollars = (cents: number) => (cents % 100 ? (cents / 100).toFixed(2) : String(cents / 100));

/** Credit is typed in dollars; points and percent as whole numbers. */
const amountText = (kind: Kind, amount: number) => (kind === "credit" ? dollars(amount) : String(amount));
const optional = (n: number | null, show: (n: number) => string = String) => (n === null ? "" : show(n));

export function newMilestone(): MilestoneValues {
  return { key: crypto.randomUUID(), threshold: "", kind: "credit", amount: "" };
}

export function valuesOf(program: Program): Values {
  return {
    enabled: program.enabled,
    referrerKind: program.referrerReward.kind,
    referrerAmount: amountText(program.referrerReward.kind, program.referrerReward.amount),
    refereeKind: program.refereeReward.kind,
    refereeAmount: amountText(program.refereeReward.kind, program.refereeReward.amount),
    qualifyingEvent: program.qualifyingEvent,
    attributionWindowDays: String(program.attributionWindowDays),
    maxRewardedPerYear: optional(program.maxRewardedPerYear),
    maxRewardedLifetime: optional(program.maxRewardedLifetime),
    maxRewardValuePerYear: optional(program.maxRewardValuePerYearCents, dollars),
    milestones: program.milestones.map((m, i) => ({ key: `saved-${i}-${m.threshold}`, threshold: String(m.threshold), kind: m.kind, amount: amountText(m.kind, m.amount) })),
    rewardExpiryDays: optional(program.rewardExpiryDays),
    expiryReminderDays: String(program.expiryReminderDays),
    holdDays: String(program.holdDays),
    learnMoreUrl: program.learnMoreUrl ?? "",
    termsText: program.termsText,
    velocityLimitPerDay: String(program.velocityLimitPerDay),
    governmentItemCap: dollars(program.governmentItemCapCents),
    governmentYearCap: dollars(program.governmentYearCapCents),
    governmentOverCapAction: program.governmentOverCapAction,
  };
}

const DOLLARS_HINT = "Enter an amount in dollars, like 50 or 12.50.";

/** A whole number as typed; anything else becomes NaN so the schema says what is wrong. */
function whole(text: string): number {
  return /^\s*-?\d+\s*$/.test(text) ? Number(text) : Number.NaN;
}

/** Typed values to the shared input schema: the same schema the procedure checks (rule N4). */
export function parse(values: Values): { ok: true; input: ProgramSettingsInput } | { ok: false; fields: FieldErrors } {
  const fields: FieldErrors = {};
  const money = (key: string, text: string) => {
    const cents = parseDollars(text);
    if (cents === null) fields[key] = DOLLARS_HINT;
    return cents ?? 0;
  };
  const amount = (key: string, kind: Kind, text: string) => (kind === "credit" ? money(key, text) : whole(text));
  const nullable = (text: string, read: (t: string) => number) => (text.trim() === "" ? null : read(text));

  const parsed = programSettingsInput.safeParse({
    enabled: values.enabled,
    referrerReward: { kind: values.referrerKind, amount: amount("referrerReward.amount", values.referrerKind, values.referrerAmount) },
    refereeReward: { kind: values.refereeKind, amount: amount("refereeReward.amount", values.refereeKind, values.refereeAmount) },
    qualifyingEvent: values.qualifyingEvent,
    attributionWindowDays: whole(values.attributionWindowDays),
    maxRewardedPerYear: nullable(values.maxRewardedPerYear, whole),
    maxRewardedLifetime: nullable(values.maxRewardedLifetime, whole),
    maxRewardValuePerYearCents: nullable(values.maxRewardValuePerYear, (t) => money("maxRewardValuePerYearCents", t)),
    milestones: values.milestones.map((m, i) => ({ threshold: whole(m.threshold), kind: m.kind, amount: amount(`milestones.${i}.amount`, m.kind, m.amount) })),
    rewardExpiryDays: nullable(values.rewardExpiryDays, whole),
    expiryReminderDays: whole(values.expiryReminderDays),
    holdDays: whole(values.holdDays),
    learnMoreUrl: values.learnMoreUrl.trim() || null,
    termsText: values.termsText,
    velocityLimitPerDay: whole(values.velocityLimitPerDay),
    governmentItemCapCents: money("governmentItemCapCents", values.governmentItemCap),
    governmentYearCapCents: money("governmentYearCapCents", values.governmentYearCap),
    governmentOverCapAction: values.governmentOverCapAction,
  });
  if (!parsed.success) {
    // Zod paths such as "referrerReward.amount" or "milestones.1.threshold" name the field.
    for (const issue of parsed.error.issues) fields[issue.path.join(".")] ??= issue.message;
  }
  return parsed.success && !Object.keys(fields).length ? { ok: true, input: parsed.data } : { ok: false, fields };
}

/** A field's error, falling back to its parent's: the server's flattened errors name only the top level. */
export function errorFor(fields: FieldErrors, key: string): string | undefined {
  const top = key.split(".")[0] ?? key;
  return fields[key] ?? (top !== "milestones" ? fields[top] : undefined);
}
