import { useId } from "react";
import { Card } from "@/app/_components/ui";
import { ConfirmEmailNotice } from "@/app/console/_components/confirm-email-notice";
import { CONFIRM_EMAIL_FIRST } from "@/server/schemas/clinic-onboarding";
import { ProgramState } from "./settings-summary";

/** `waitsForEmail`: no admin address is confirmed yet, so turning it on is refused (issue 13). */
type Props = { enabled: boolean; savedEnabled: boolean; waitsForEmail: boolean; error?: string; onChange: (enabled: boolean) => void };

/** Rule P1: the program switch, with what each choice means for patients. */
export function ProgramSwitch({ enabled, savedEnabled, waitsForEmail, error, onChange }: Props) {
  const id = useId();
  const errorId = `${id}-error`;
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
      <fieldset aria-describedby={error ? errorId : undefined} aria-invalid={error ? true : undefined}>
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
        {error && error !== CONFIRM_EMAIL_FIRST && (
          <p id={errorId} className="mt-2 text-sm font-medium text-red-700">
            {error}
          </p>
        )}
        {(waitsForEmail || error === CONFIRM_EMAIL_FIRST) && !savedEnabled && (
          <div id={error === CONFIRM_EMAIL_FIRST ? errorId : undefined} className="mt-3">
            <ConfirmEmailNotice />
          </div>
        )}
      </fieldset>
    </Card>
  );
}
