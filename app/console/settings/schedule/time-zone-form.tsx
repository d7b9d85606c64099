"use client";

import { SelectField } from "@/app/_components/fields";
import { ErrorSummary, problemsOf, useActionForm } from "@/app/_components/form-parts";
import { initialFormState } from "@/app/_components/form-state";
import { Alert, Button, Card } from "@/app/_components/ui";
import { setTimeZoneAction } from "./actions";

/** Rule A6: the clinic's time zone: its daily runs start at 03:00 there, and the dashboard's days are its days. */
export function TimeZoneForm({ timeZone, choices }: { timeZone: string; choices: string[] }) {
  const { state, fieldErrors, formError, attempt, pending, action, onSubmit } = useActionForm(setTimeZoneAction, initialFormState({ timeZone }));
  const current = state.values.timeZone ?? timeZone;
  const options = (choices.includes(current) ? choices : [current, ...choices]).map((zone) => [zone, zone.replaceAll("_", " ")] as const);
  return (
    <Card title="Time zone">
      <form action={action} onSubmit={onSubmit} className="flex flex-col gap-3">
        {state.done && <Alert tone="success">Saved. The clinic now runs on {current.replaceAll("_", " ")} time.</Alert>}
        <ErrorSummary problems={problemsOf(formError, fieldErrors, ["timeZone"])} attempt={attempt} />
        <p className="text-slate-800">
          Daily runs (expiring rewards, expiry reminders, dashboard totals) start at 3 a.m. in this zone, and the dashboard counts its days here. Changing it
          recounts the dashboard from the start.
        </p>
        <SelectField key={current} label="Clinic time zone" name="timeZone" defaultValue={current} options={options} error={fieldErrors.timeZone} className="max-w-sm" />
        <Button type="submit" busy={pending} className="self-start">
          Save time zone
        </Button>
      </form>
    </Card>
  );
}
