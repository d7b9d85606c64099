"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { CheckField, SelectField } from "@/app/_components/fields";
import { Button, TextField } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { CA_PROVINCES, COUNTRIES, RELATIONSHIPS, submitReferralInput, US_STATES } from "@/server/schemas/b2b";
import { ErrorSummary, type Problem, useSubmission } from "@/app/_components/form-parts";

const TEXT_FIELDS = ["referrerName", "referrerEmail", "referrerPhone", "referrerOrganization", "practiceName", "contactName", "practiceEmail", "practicePhone", "website", "addressLine", "city", "region", "postalCode"] as const;
const ORDER = [...TEXT_FIELDS.slice(0, 4), "relationship", ...TEXT_FIELDS.slice(4, 11), "country", "region", "postalCode", "ageConfirmed", "noConflictDeclared", "termsAccepted"];
type Prefill = { referrerName: string; referrerEmail: string; referrerOrganization: string } | null;

const newKey = () => (typeof crypto.randomUUID === "function" ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);

export function ReferralForm({ prefill }: { prefill: Prefill }) {
  const trpc = useTRPC();
  const router = useRouter();
  const submit = useMutation(trpc.partner.submit.mutationOptions());
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<Record<(typeof TEXT_FIELDS)[number], string>>(() => ({
    ...Object.fromEntries(TEXT_FIELDS.map((f) => [f, ""])),
    referrerName: prefill?.referrerName ?? "",
    referrerEmail: prefill?.referrerEmail ?? "",
    referrerOrganization: prefill?.referrerOrganization ?? "",
  }) as Record<(typeof TEXT_FIELDS)[number], string>);
  const [relationship, setRelationship] = useState<string>("");
  const [country, setCountry] = useState<"US" | "CA" | "OTHER">("US");
  const [checks, setChecks] = useState({ ageConfirmed: false, noConflictDeclared: false, termsAccepted: false });
  const [nickname, setNickname] = useState("");
  // One key per filled-in form: a double click or a retry makes one submission (rule B1).
  const [idempotencyKey] = useState(newKey);
  const { fieldErrors, formError, attempt, pending, submit: send } = useSubmission();

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void send(submitReferralInput, { ...values, relationship, country, ...checks, nickname, idempotencyKey }, async (input) => {
      const { token } = await submit.mutateAsync(input);
      // The token travels in the fragment, which never reaches a server or its logs.
      router.push(`/refer-a-practice/confirmation#${token}`);
    });
  }

  const text = (name: (typeof TEXT_FIELDS)[number]) => ({
    name,
    value: values[name],
    error: fieldErrors[name],
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setValues((v) => ({ ...v, [name]: e.target.value })),
  });
  const problems: Problem[] = [
    ...(formError ? [{ message: formError }] : []),
    ...ORDER.flatMap((name) => (fieldErrors[name] ? [{ field: name, message: fieldErrors[name] }] : [])),
  ];
  const focusField = (name: string) => {
    const element = formRef.current?.elements.namedItem(name);
    if (element instanceof HTMLElement) element.focus();
  };
  const regions = country === "US" ? US_STATES : country === "CA" ? CA_PROVINCES : null;

  return (
    // Submitted before hydration, the browser sends the form itself: POST keeps personal details out of the URL (rule N3).
    <form ref={formRef} method="post" noValidate onSubmit={onSubmit} className="flex flex-col gap-6">
      <ErrorSummary problems={problems} attempt={attempt} onPick={focusField} />
      <fieldset className="flex flex-col gap-4">
        <legend className="mb-2 text-lg font-semibold text-slate-900">About you</legend>
        <TextField label="Your name" autoComplete="name" required {...text("referrerName")} />
        <TextField label="Your email" type="email" inputMode="email" autoComplete="email" autoCapitalize="none" spellCheck={false} required hint="Your private status link is sent here." {...text("referrerEmail")} />
        <TextField label="Your phone" type="tel" inputMode="tel" autoComplete="tel" required {...text("referrerPhone")} />
        <TextField label="Your practice or organization" autoComplete="organization" required {...text("referrerOrganization")} />
        <SelectField
          label="How do you know the practice?"
          name="relationship"
          value={relationship}
          error={fieldErrors.relationship}
          onChange={(e) => setRelationship(e.target.value)}
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
        <SelectField label="Country" name="country" value={country} onChange={(e) => setCountry(e.target.value as typeof country)} options={Object.entries(COUNTRIES)} error={fieldErrors.country} />
        <TextField label="Street address" autoComplete="off" required {...text("addressLine")} />
        <TextField label="City" required {...text("city")} />
        {regions ? (
          <SelectField label={country === "US" ? "State" : "Province or territory"} options={[["", "Choose one"], ...regions.map((r) => [r, r] as const)]} {...text("region")} />
        ) : (
          <TextField label="Region (optional)" {...text("region")} />
        )}
        <TextField label={country === "US" ? "ZIP code" : "Postal code"} autoCapitalize="characters" required {...text("postalCode")} />
      </fieldset>
      {/* A field people never see or reach; bots fill it in. */}
      <div aria-hidden="true" className="absolute -left-[9999px] h-px w-px overflow-hidden">
        <label>
          Nickname
          <input type="text" name="nickname" tabIndex={-1} autoComplete="off" value={nickname} onChange={(e) => setNickname(e.target.value)} />
        </label>
      </div>
      <fieldset className="flex flex-col gap-3">
        <legend className="mb-2 text-lg font-semibold text-slate-900">Declarations</legend>
        <CheckField name="ageConfirmed" label="I am 18 or older." checked={checks.ageConfirmed} error={fieldErrors.ageConfirmed} onChange={(v) => setChecks((c) => ({ ...c, ageConfirmed: v }))} />
        <CheckField
          name="noConflictDeclared"
          label="I am not an employee or family member of the practice I'm referring, nor of the platform."
          checked={checks.noConflictDeclared}
          error={fieldErrors.noConflictDeclared}
          onChange={(v) => setChecks((c) => ({ ...c, noConflictDeclared: v }))}
        />
        <CheckField
          name="termsAccepted"
          label="I accept the partner program terms: rewards are paid only when the referred practice signs, launches and pays, and each practice earns one reward."
          checked={checks.termsAccepted}
          error={fieldErrors.termsAccepted}
          onChange={(v) => setChecks((c) => ({ ...c, termsAccepted: v }))}
        />
      </fieldset>
      <Button type="submit" busy={pending} className="self-start">
        {pending ? "Sending…" : "Send referral"}
      </Button>
    </form>
  );
}
