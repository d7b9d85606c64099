import { useRef } from "react";
import { Button, Card, TextField } from "@/app/_components/ui";
import { KIND_OPTIONS, SelectField, amountLabel } from "./settings-fields";
import type { SectionProps } from "./settings-sections";
import { errorFor, newMilestone, type MilestoneValues } from "./settings-values";

const MAX_MILESTONES = 10;

/** Rule P11: bonuses at N qualified referrals, each paid once per referrer. */
export function MilestonesSection({ values, change, fields }: SectionProps) {
  const list = useRef<HTMLOListElement>(null);
  const rows = values.milestones;

  function update(index: number, patch: Partial<MilestoneValues>) {
    change({ milestones: rows.map((row, i) => (i === index ? { ...row, ...patch } : row)) });
  }

  function add() {
    change({ milestones: [...rows, newMilestone()] });
    // Keyboard users land on the new row's first field.
    requestAnimationFrame(() => list.current?.querySelector<HTMLInputElement>("li:last-child input")?.focus());
  }

  return (
    <Card title="Milestones">
      <p className="mb-4 text-sm text-slate-700">
        A bonus for the referrer when they reach a number of qualified referrals, for example 3 and 10. Each milestone is paid once.
      </p>
      {fields.milestones && (
        <p role="alert" className="mb-3 text-sm font-medium text-red-700">
          {fields.milestones}
        </p>
      )}
      {rows.length === 0 ? (
        <p className="mb-3 text-sm text-slate-700">No milestones.</p>
      ) : (
        <ol ref={list} className="mb-3 flex flex-col gap-3">
          {rows.map((row, index) => (
            <li key={row.key}>
              <fieldset className="grid gap-3 rounded-lg border border-slate-200 p-3 sm:grid-cols-[1fr_1.4fr_1fr_auto] sm:items-end">
                <legend className="px-1 font-medium text-slate-900">Milestone {index + 1}</legend>
                <TextField
                  label="Qualified referrals"
                  name={`milestones.${index}.threshold`}
                  inputMode="numeric"
                  autoComplete="off"
                  value={row.threshold}
                  onChange={(event) => update(index, { threshold: event.target.value })}
                  error={errorFor(fields, `milestones.${index}.threshold`)}
                />
                <SelectField label="Bonus kind" name={`milestones.${index}.kind`} options={KIND_OPTIONS} value={row.kind} onChange={(kind) => update(index, { kind })} />
                <TextField
                  label={`Bonus ${amountLabel(row.kind).toLowerCase()}`}
                  name={`milestones.${index}.amount`}
                  inputMode={row.kind === "credit" ? "decimal" : "numeric"}
                  autoComplete="off"
                  value={row.amount}
                  onChange={(event) => update(index, { amount: event.target.value })}
                  error={errorFor(fields, `milestones.${index}.amount`)}
                />
                <Button type="button" variant="secondary" onClick={() => change({ milestones: rows.filter((_, i) => i !== index) })}>
                  Remove<span className="sr-only"> milestone {index + 1}</span>
                </Button>
              </fieldset>
            </li>
          ))}
        </ol>
      )}
      <Button type="button" variant="secondary" onClick={add} disabled={rows.length >= MAX_MILESTONES}>
        Add a milestone
      </Button>
    </Card>
  );
}
