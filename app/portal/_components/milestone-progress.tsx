import { Card } from "@/app/_components/ui";
import { formatCents } from "@/server/schemas/money";
import type { RouterOutputs } from "@/server/root";

type Overview = RouterOutputs["portal"]["overview"];
type Milestone = Overview["milestones"][number];

/** "a $25 bonus", "a 200-point bonus", "a bonus of 15% off your next order". */
export function bonusText(m: Milestone): string {
  if (m.kind === "credit") return `a ${formatCents(m.amount)} bonus`;
  if (m.kind === "points") return `a ${m.amount.toLocaleString("en-US")}-point bonus`;
  return `a bonus of ${m.amount}% off your next order`;
}

const referrals = (n: number) => `${n} qualified ${n === 1 ? "referral" : "referrals"}`;

/** Rule P15: progress toward the clinic's milestone bonuses (rule P11). */
export function MilestoneProgress({ milestones, qualified }: { milestones: Milestone[]; qualified: number }) {
  if (!milestones.length) return null;
  const sorted = [...milestones].sort((a, b) => a.threshold - b.threshold);
  const next = sorted.find((m) => m.threshold > qualified);
  return (
    <Card title="Bonuses">
      {next ? (
        <>
          <p className="text-slate-900" data-testid="milestone-progress">
            {qualified} of {referrals(next.threshold)} toward {bonusText(next)}
          </p>
          <progress
            className="mt-2 h-3 w-full accent-brand-600"
            max={next.threshold}
            value={qualified}
            aria-label={`${qualified} of ${next.threshold} qualified referrals`}
          />
        </>
      ) : (
        <p className="text-slate-900" data-testid="milestone-progress">
          You reached every bonus. Thank you for {referrals(qualified)}!
        </p>
      )}
      <ul className="mt-3 flex flex-col gap-1 text-sm text-slate-700">
        {sorted.map((m) => (
          <li key={m.threshold}>
            {m.threshold <= qualified ? "Reached: " : ""}
            {referrals(m.threshold)}: {bonusText(m)}
          </li>
        ))}
      </ul>
    </Card>
  );
}
