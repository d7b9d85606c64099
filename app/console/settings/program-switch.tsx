import { useId } from "react";
import { Card } from "@/app/_components/ui";
import { ProgramState } from "./settings-summary";

type Props = { enabled: boolean; savedEnabled: boolean; onChange: (enabled: boolean) => void };

/** Rule P1: the program switch, with what each choice means for patients. */
export function ProgramSwitch({ enabled, savedEnabled, onChange }: Props) {
  const id = useId();
  const options = [
    { value: true, label: "On", description: "Patients can share their links. New patients who sign up through them are linked and rewarded." },
    {
      value: false,
      label: "Paused",
      description:
        "Shared links show a friendly “program paused” page. No new referrals or rewards are created. Credit patients already earned stays usable.",
    },
  ];
  return (
    <Card>
      <fieldset>
        <legend className="text-lg font-semibold text-slate-900">Referral program</legend>
        <p className="mt-1 flex items-center gap-2 text-sm text-slate-700">
          Right now: <ProgramState enabled={savedEnabled} />
        </p>
        <div className="mt-3 flex flex-col gap-3">
          {options.map((option) => {
            const inputId = `${id}-${option.label}`;
            return (
              <div key={option.label} className="flex gap-3 rounded-lg border border-slate-200 p-3 has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50">
                <input
                  id={inputId}
                  type="radio"
                  name="enabled"
                  checked={enabled === option.value}
                  onChange={() => onChange(option.value)}
                  aria-describedby={`${inputId}-description`}
                  className="mt-1 size-5 accent-brand-600"
                />
                <div>
                  <label htmlFor={inputId} className="font-medium text-slate-900">
                    {option.label}
                  </label>
                  <p id={`${inputId}-description`} className="text-sm text-slate-700">
                    {option.description}
                  </p>
                </div>
              </div>
            );
          })}
        </div>
      </fieldset>
    </Card>
  );
}
