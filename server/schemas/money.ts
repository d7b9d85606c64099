import { z } from "zod";

/** Money travels as integer cents (rule N2). */
export function centsField(label: string, { min = 0, max }: { min?: number; max: number }) {
  return z
    .number({ error: `${label}: enter an amount.` })
    .int(`${label}: amounts are in whole cents.`)
    .min(min, `${label} cannot be less than ${formatCents(min)}.`)
    .max(max, `${label} cannot be more than ${formatCents(max)}.`);
}

export function formatCents(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  const dollars = Math.floor(abs / 100).toLocaleString("en-US");
  const rest = abs % 100;
  return `${sign}$${dollars}${rest ? `.${String(rest).padStart(2, "0")}` : ""}`;
}

/** "12.50" or "$12" typed by a person, to cents; null when it is not an amount. */
export function parseDollars(input: string): number | null {
  const match = /^\s*\$?\s*(\d{1,7})(?:\.(\d{1,2}))?\s*$/.exec(input);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
}

/** "$50 credit", "200 points", "15% off your next order" (rule P8). */
export function formatReward(reward: { kind: "credit" | "points" | "percent"; amount: number }): string {
  switch (reward.kind) {
    case "credit":
      return `${formatCents(reward.amount)} credit`;
    case "points":
      return `${reward.amount.toLocaleString("en-US")} points`;
    case "percent":
      return `${reward.amount}% off the next order`;
  }
}
