import { formatReward } from "@/server/schemas/money";
import { Alert, Card, StatusBadge } from "@/app/_components/ui";
import type { RouterOutputs } from "@/server/root";

type Program = RouterOutputs["clinic"]["program"];

/** What staff without admin rights see: the settings, read-only. */
export function ProgramSettingsSummary({ program, termsHref }: { program: Program; termsHref: string }) {
  const rows = [
    { label: "Referral program", value: <ProgramState enabled={program.enabled} /> },
    { label: "Referrer reward", value: formatReward(program.referrerReward) },
    { label: "New patient reward", value: formatReward(program.refereeReward) },
    { label: "Attribution window", value: `${program.attributionWindowDays} ${program.attributionWindowDays === 1 ? "day" : "days"}` },
    { label: "Learn-more link", value: program.learnMoreUrl ?? `Your program terms page (${termsHref})` },
  ];
  return (
    <>
      <Alert tone="info">Only clinic admins can change settings. Ask an admin if something here needs to change.</Alert>
      <Card title="Current settings">
        <dl className="divide-y divide-slate-200">
          {rows.map((row) => (
            <div key={row.label} className="flex flex-wrap justify-between gap-x-4 gap-y-1 py-3">
              <dt className="text-sm font-medium text-slate-700">{row.label}</dt>
              <dd className="break-all text-sm text-slate-900">{row.value}</dd>
            </div>
          ))}
        </dl>
      </Card>
    </>
  );
}

export function ProgramState({ enabled }: { enabled: boolean }) {
  return enabled ? <StatusBadge tone="good">On</StatusBadge> : <StatusBadge tone="warn">Paused</StatusBadge>;
}
