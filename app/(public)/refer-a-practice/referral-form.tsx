"use client";

import { useEffect, useRef, useState } from "react";
import { CheckField, SelectField } from "@/app/_components/fields";
import { initialFormState } from "@/app/_components/form-state";
import { Button, TextField } from "@/app/_components/ui";
import { CA_PROVINCES, COUNTRIES, RELATIONSHIPS, submitReferralInput, US_STATES } from "@/server/schemas/b2b";
import { checkWith, ErrorSummary, problemsOf, useActionForm } from "@/app/_components/form-parts";
import { submitReferralAction } from "./actions";
import { CHECKS, referralInput, sentValues, TEXT_FIELDS } from "./form-input";

const ORDER = [...TEXT_FIELDS.slice(0, 4), "relationship", ...TEXT_FIELDS.slice(4, 11), "country", "region", "postalCode", ...CHECKS];
type Prefill = { referrerName: string; referrerEmail: string; referrerOrganization: string } | null;
type Country = "US" | "CA" | "OTHER";

const check = checkWith(submitReferralInput, (data) => referralInput(sentValues(data)));

/** `idempotencyKey` is made with the page, so a form sent before hydration has one too (rule B1: one submission per filled-in form). */
export function ReferralForm({ prefill, idempotencyKey }: { prefill: Prefill; idempotencyKey: string }) {
  const formRef = useRef<HTMLFormElement>(null);
  const { state, fieldErrors, formError, attempt, pending, action, onSubmit } = useActionForm(
    submitReferralAction,
    initialFormState({ referrerName: prefill?.referrerName ?? "", referrerEmail: prefill?.referrerEmail ?? "", referrerOrganization: prefill?.referrerOrganization ?? "" }),
    check,
  );
  const values = state.values;
  const [country, setCountry] = useState<Country>((values.country as Country) || "US");
  // A country chosen before the script ran decides the region list.
  useEffect(() => {
    const chosen = formRef.current?.elements.namedItem("country");
    if (chosen instanceof HTMLSelectElement) setCountry(chosen.value as Country);
  }, []);

  const text = (name: (typeof TEXT_FIELDS)[number]) => ({ name, defaultValue: values[name], error: fieldErrors[name] });
  const focusField = (name: string) => {
    const element = formRef.current?.elements.namedItem(name);
    if (element instanceof HTMLElement) element.focus();
  };
  const regions = country === "US" ? US_STATES : country === "CA" ? CA_PROVINCES : null;

  return (
    // Uncontrolled inputs: what a person types before the script runs is theirs (issue 7 item 22). POST keeps it out of the URL (rule N3).
    <form ref={formRef} action={action} onSubmit={onSubmit} noValidate className="flex flex-col gap-6">
      <ErrorSummary problems={problemsOf(formError, fieldErrors, ORDER)} attempt={attempt} onPick={focusField} />
      <input type="hidden" name="idempotencyKey" value={values.idempotencyKey || idempotencyKey} />
      <fieldset className="flex flex-col gap-4">
        <legend className="mb-2 text-lg font-semibold text-slate-900">About you</legend>
        <TextField label="Your name" autoComplete="name" required {...text("referrerName")} />
        <TextField label="Your email" type="email" inputMode="email" autoComplete="email" autoCapitalize="none" spellCheck={false} required hint="Your private status link is sent here." {...text("referrerEmail")} />
        <TextField label="Your phone" type="tel" inputMode="tel" autoComplete="tel" required {...text("referrerPhone")} />
        <TextField label="Your practice or organization" autoComplete="organization" required {...text("referrerOrganization")} />
        <SelectField
          label="How do you know the practice?"
          name="relationship"
          defaultValue={values.relationship ?? ""}
          error={fieldErrors.relationship}
          options={[["", "Choose one"], ...Object.entries(RELATIONSHIPS)]}
        />
      </fieldset>
      <fieldset className="flex flex-col gap-4">
        <legend className="mb-2 text-lg font-semibold text-slate-900">The practice you&apos;re referring</legend>
        <TextField label="Practice name" required {...text("practiceName")} />
        <TextField label="Contact person" required {...text("contactName")} />
        <TextField label="Practice email" type="email" inputMode="email" autoCapitalize="none" spellCheck={false} required {...text("practiceEmail")} />
        <TextField label="Practice phone" type="tel" inputMode="tel" required hint="With area code; outside the US and Canada, start with + and the country code." {...text("practicePhone")} />
        <TextField label="Website (optional)" inputMode="url" autoCapitalize="none" spellCheck={false} {...text("website")} />
        <SelectField label="Country" name="country" defaultValue={country} onChange={(e) => setCountry(e.target.value as Country)} options={Object.entries(COUNTRIES)} error={fieldErrors.country} />
        <TextField label="Street address" autoComplete="off" required {...text("addressLine")} />
        <TextField label="City" required {...text("city")} />
        {regions ? (
          <SelectField key={country} label={country === "US" ? "State" : "Province or territory"} options={[["", "Choose one"], ...regions.map((r) => [r, r] as const)]} {...text("region")} />
        ) : (
          <TextField label="Region (optional)" {...text("region")} />
        )}
        <TextField label={country === "US" ? "ZIP code" : "Postal code"} autoCapitalize="characters" required {...text("postalCode")} />
      </fieldset>
      {/* A field people never see or reach; bots fill it in. */}
      <div aria-hidden="true" className="absolute -left-[9999px] h-px w-px overflow-hidden">
        <label>
          Nickname
          <input type="text" name="nickname" tabIndex={-1} autoComplete="off" defaultValue={values.nickname} />
        </label>
      </div>
      <fieldset className="flex flex-col gap-3">
        <legend className="mb-2 text-lg font-semibold text-slate-900">Declarations</legend>
        <CheckField name="ageConfirmed" label="I am 18 or older." defaultChecked={values.ageConfirmed === "on"} error={fieldErrors.ageConfirmed} />
        <CheckField
          name="noConflictDeclared"
          label="I am not an employee or family member of the practice I'm referring, nor of the platform."
          defaultChecked={values.noConflictDeclared === "on"}
          error={fieldErrors.noConflictDeclared}
        />
        <CheckField
          name="termsAccepted"
          label="I accept the partner program terms: rewards are paid only when the referred practice signs, launches and pays, and each practice earns one reward."
          defaultChecked={values.termsAccepted === "on"}
          error={fieldErrors.termsAccepted}
        />
      </fieldset>
      <Button type="submit" busy={pending} className="self-start">
        {pending ? "Sending…" : "Send referral"}
      </Button>
    </form>
  );
}
