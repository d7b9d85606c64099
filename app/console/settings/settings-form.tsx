"use client";

import { useMutation } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { z } from "zod";
import { Alert, Button, Card, TextField } from "@/app/_components/ui";
import { formErrors, type FieldErrors } from "@/app/_trpc/errors";
import { useTRPC } from "@/app/_trpc/client";
import { parseDollars } from "@/server/schemas/money";
import { programSettingsInput } from "@/server/schemas/program";
import type { RouterOutputs } from "@/server/root";
import { ProgramSwitch } from "./program-switch";

type Program = RouterOutputs["clinic"]["program"];
type Values = { enabled: boolean; referrer: string; referee: string; days: string; learnMoreUrl: string };

const dollars = (cents: number) => (cents % 100 ? (cents / 100).toFixed(2) : String(cents / 100));

function valuesOf(program: Program): Values {
  return {
    enabled: program.enabled,
    referrer: dollars(program.referrerReward.amount),
    referee: dollars(program.refereeReward.amount),
    days: String(program.attributionWindowDays),
    learnMoreUrl: program.learnMoreUrl ?? "",
  };
}

/** Typed values to the shared input schema; the same schema the procedure checks. */
function parse(values: Values, base: Program) {
  const fields: FieldErrors = {};
  const referrer = parseDollars(values.referrer);
  const referee = parseDollars(values.referee);
  if (referrer === null) fields.referrerRewardCents = "Enter the referrer reward in dollars, like 50 or 12.50.";
  if (referee === null) fields.refereeRewardCents = "Enter the new patient reward in dollars, like 30 or 12.50.";
  const parsed = programSettingsInput.safeParse({
    ...base,
    enabled: values.enabled,
    referrerReward: { kind: "credit", amount: referrer ?? 0 },
    refereeReward: { kind: "credit", amount: referee ?? 0 },
    attributionWindowDays: values.days.trim() === "" ? Number.NaN : Number(values.days),
    learnMoreUrl: values.learnMoreUrl.trim() || null,
  });
  if (!parsed.success) {
    for (const [key, messages] of Object.entries(z.flattenError(parsed.error).fieldErrors)) fields[key] ??= (messages as string[] | undefined)?.[0];
  }
  return parsed.success && !Object.keys(fields).length ? { ok: true as const, input: parsed.data } : { ok: false as const, fields };
}

export function ProgramSettingsForm({ initial, termsHref }: { initial: Program; termsHref: string }) {
  const trpc = useTRPC();
  const form = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState(() => valuesOf(initial));
  const [saved, setSaved] = useState(initial);
  const [clientErrors, setClientErrors] = useState<FieldErrors | null>(null);
  const [justSaved, setJustSaved] = useState(false);
  const save = useMutation(trpc.clinic.updateProgram.mutationOptions());
  const serverErrors = formErrors(save.error);
  const fields = clientErrors ?? serverErrors.fields;

  function focusFirstInvalid() {
    requestAnimationFrame(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  }

  function change(patch: Partial<Values>) {
    setValues((current) => ({ ...current, ...patch }));
    setJustSaved(false);
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (save.isPending) return;
    const result = parse(values, saved);
    if (!result.ok) {
      setClientErrors(result.fields);
      setJustSaved(false);
      focusFirstInvalid();
      return;
    }
    setClientErrors(null);
    save.mutate(result.input, {
      onSuccess: (program) => {
        setSaved(program);
        setValues(valuesOf(program));
        setJustSaved(true);
      },
      onError: () => focusFirstInvalid(),
    });
  }

  return (
    <form ref={form} onSubmit={submit} noValidate className="flex flex-col gap-6">
      <ProgramSwitch enabled={values.enabled} savedEnabled={saved.enabled} onChange={(enabled) => change({ enabled })} />

      <Card title="Rewards">
        <p className="mb-4 text-sm text-slate-700">Credit both patients receive when the new patient&apos;s first paid order is recorded.</p>
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="Referrer reward ($)"
            hint="For the patient who shared their link."
            name="referrerRewardCents"
            inputMode="decimal"
            autoComplete="off"
            value={values.referrer}
            onChange={(event) => change({ referrer: event.target.value })}
            error={fields.referrerRewardCents}
          />
          <TextField
            label="New patient reward ($)"
            hint="Welcome credit for the new patient."
            name="refereeRewardCents"
            inputMode="decimal"
            autoComplete="off"
            value={values.referee}
            onChange={(event) => change({ referee: event.target.value })}
            error={fields.refereeRewardCents}
          />
        </div>
      </Card>

      <Card title="Links">
        <div className="flex flex-col gap-4">
          <TextField
            label="Attribution window (days)"
            hint="How long after opening a shared link a sign-up still counts as a referral. 1 to 365 days."
            name="attributionWindowDays"
            inputMode="numeric"
            autoComplete="off"
            className="max-w-xs"
            value={values.days}
            onChange={(event) => change({ days: event.target.value })}
            error={fields.attributionWindowDays}
          />
          <TextField
            label="Learn-more link (optional)"
            hint={`Where "Learn more" in the patient portal goes. Leave empty to use your program terms page (${termsHref}).`}
            name="learnMoreUrl"
            type="url"
            inputMode="url"
            autoComplete="off"
            placeholder="https://"
            value={values.learnMoreUrl}
            onChange={(event) => change({ learnMoreUrl: event.target.value })}
            error={fields.learnMoreUrl}
          />
        </div>
      </Card>

      {!clientErrors && serverErrors.form && <Alert>{serverErrors.form}</Alert>}
      {clientErrors && <Alert>Please correct the highlighted fields.</Alert>}

      <div className="flex flex-wrap items-center gap-4">
        <Button type="submit" busy={save.isPending}>
          {save.isPending ? "Saving…" : "Save settings"}
        </Button>
        <div role="status" className="text-sm font-medium text-emerald-800">
          {justSaved && "Settings saved"}
        </div>
      </div>
    </form>
  );
}
