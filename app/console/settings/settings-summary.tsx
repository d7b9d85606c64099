import { QUALIFYING_TEXT } from "@/app/_components/program-text";
import { formatCents, formatReward } from "@/server/schemas/money";
import { Alert, Card, StatusBadge } from "@/app/_components/ui";
import type { Program } from "./settings-values";

const days = (n: number) => `${n} ${n === 1 ? "day" : "days"}`;
const orNoLimit = (n: number | null, show: (n: number) => string = String) => (n === null ? "No limit" : show(n));

type Row = { label: string; value: React.ReactNode };

/** What staff without admin rights see: every setting, read-only (rule C3). */
export function ProgramSettingsSummary({ program, termsHref }: { program: Program; termsHref: string }) {
  const sections: { title: string; rows: Row[] }[] = [
    {
      title: "Program and rewards",
      rows: [
        { label: "Referral program", value: <ProgramState enabled={program.enabled} /> },
        { label: "Referrer reward", value: formatReward(program.referrerReward) },
        { label: "New patient reward", value: formatReward(program.refereeReward) },
        { label: "What earns a reward", value: `The new patient's first ${QUALIFYING_TEXT[program.qualifyingEvent]}` },
        { label: "Attribution window", value: days(program.attributionWindowDays) },
      ],
    },
    {
      title: "Limits per referrer",
      rows: [
        { label: "Rewarded referrals per year", value: orNoLimit(program.maxRewardedPerYear) },
        { label: "Rewarded referrals in total", value: orNoLimit(program.maxRewardedLifetime) },
        { label: "Yearly reward value", value: orNoLimit(program.maxRewardValuePerYearCents, formatCents) },
      ],
    },
    {
      title: "Milestones",
      rows: program.milestones.length
        ? program.milestones.map((m) => ({ label: `At ${m.threshold} qualified referrals`, value: formatReward(m) }))
        : [{ label: "Milestone bonuses", value: "None" }],
    },
    {
      title: "Expiry, hold and review",
      rows: [
        { label: "Rewards expire", value: program.rewardExpiryDays === null ? "Never" : `After ${days(program.rewardExpiryDays)}` },
        { label: "Expiry reminder", value: `${days(program.expiryReminderDays)} before` },
        { label: "Refund hold window", value: days(program.holdDays) },
        { label: "Referrals per day before review", value: String(program.velocityLimitPerDay) },
      ],
    },
    {
      title: "Government-program patients",
      rows: [
        { label: "Cap per reward", value: formatCents(program.governmentItemCapCents) },
        { label: "Cap per year", value: formatCents(program.governmentYearCapCents) },
        { label: "Above a cap", value: program.governmentOverCapAction === "points" ? "Loyalty points instead of credit" : "Reward withheld" },
      ],
    },
    {
      title: "Terms",
      rows: [
        { label: "Learn-more link", value: program.learnMoreUrl ?? `Your program terms page (${termsHref})` },
        { label: "Program terms", value: <span className="whitespace-pre-line break-normal">{program.termsText || "None"}</span> },
      ],
    },
  ];
  return (
    <>
      <Alert tone="info">Only clinic admins can change settings. Ask an admin if something here needs to change.</Alert>
      {sections.map((section) => (
        <Card key={section.title} title={section.title}>
          <dl className="divide-y divide-slate-200">
            {section.rows.map((row) => (
              <div key={row.label} className="flex flex-wrap justify-between gap-x-4 gap-y-1 py-3">
                <dt className="text-sm font-medium text-slate-700">{row.label}</dt>
                <dd className="break-all text-sm text-slate-900">{row.value}</dd>
              </div>
            ))}
          </dl>
        </Card>
      ))}
    </>
  );
}

export function ProgramState({ enabled }: { enabled: boolean }) {
  return enabled ? <StatusBadge tone="good">On</StatusBadge> : <StatusBadge tone="warn">Paused</StatusBadge>;
}
