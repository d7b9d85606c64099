"use client";

import { useMutation } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { Alert, Button } from "@/app/_components/ui";
import { formErrors, type FieldErrors } from "@/app/_trpc/errors";
import { useTRPC } from "@/app/_trpc/client";
import { MilestonesSection } from "./milestones-section";
import { ProgramSwitch } from "./program-switch";
import { EarningSection, ExpirySection, FraudSection, GovernmentSection, HoldSection, LimitsSection, LinksAndTermsSection, RewardsSection } from "./settings-sections";
import { parse, valuesOf, type Program, type Values } from "./settings-values";

/** Rule C3: every program setting, checked with the procedure's own schema before it is sent. */
export function ProgramSettingsForm({ initial, termsHref, waitsForEmail }: { initial: Program; termsHref: string; waitsForEmail: boolean }) {
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
    const result = parse(values);
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

  const section = { values, change, fields };
  const termsWillChange = values.termsText.trim() !== saved.termsText;
  return (
    <form method="post" ref={form} onSubmit={submit} noValidate className="flex flex-col gap-6">
      <ProgramSwitch enabled={values.enabled} savedEnabled={saved.enabled} waitsForEmail={waitsForEmail} error={fields.enabled} onChange={(enabled) => change({ enabled })} />
      <RewardsSection {...section} />
      <EarningSection {...section} />
      <LimitsSection {...section} />
      <MilestonesSection {...section} />
      <ExpirySection {...section} />
      <HoldSection {...section} />
      <FraudSection {...section} />
      <GovernmentSection {...section} />
      <LinksAndTermsSection {...section} termsHref={termsHref} />

      {!clientErrors && serverErrors.form && <Alert>{serverErrors.form}</Alert>}
      {clientErrors && <Alert>Please correct the highlighted fields.</Alert>}

      <div className="flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
        <p id="settings-apply" className="text-sm text-slate-700">
          Changes apply to new referrals only. Existing referrals keep the terms they were made under.
          {termsWillChange && " You changed the terms text: every patient will be asked to accept the new version before sharing again."}
        </p>
        <div className="flex flex-wrap items-center gap-4">
          <Button type="submit" busy={save.isPending} aria-describedby="settings-apply">
            {save.isPending ? "Saving…" : "Save settings"}
          </Button>
          <div role="status" className="text-sm font-medium text-emerald-800">
            {justSaved && "Settings saved"}
          </div>
        </div>
      </div>
    </form>
  );
}
