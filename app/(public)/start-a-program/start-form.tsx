"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { CheckField, SelectField } from "@/app/_components/fields";
import { initialFormState } from "@/app/_components/form-state";
import { checkWith, ErrorSummary, problemsOf, ShowPassword, useActionForm } from "@/app/_components/form-parts";
import { Button, TextField } from "@/app/_components/ui";
import { BAA_PATH, BAA_TITLE, BAA_VERSION, SUBPROCESSORS_PATH } from "@/server/schemas/baa";
import { startProgramInput, suggestSlug } from "@/server/schemas/clinic-onboarding";
import { startProgramAction } from "./actions";

const ORDER = ["practiceName", "slug", "timeZone", "firstName", "lastName", "email", "password", "termsAccepted", "baaAccepted"] as const;
type TextName = Exclude<(typeof ORDER)[number], "password" | "termsAccepted" | "baaAccepted" | "timeZone">;

const check = checkWith(startProgramInput, (data) => ({ ...Object.fromEntries(data), termsAccepted: data.get("termsAccepted") === "on", baaAccepted: data.get("baaAccepted") === "on" }));

/** The browser's own zone when the list has it, else the platform's default. */
function browserZone(zones: readonly string[], fallback: string): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zones.includes(zone) ? zone : fallback;
}

/**
 * Issue 13: the practice and its first admin. The address is suggested from the name until the
 * person edits it, and shown as the link patients will use. Uncontrolled inputs, so what is typed
 * before the script runs is kept (issue 7 item 22); POST keeps it all out of the URL (rule N3).
 */
export function StartProgramForm({ linkBase, timeZones, defaultTimeZone }: { linkBase: string; timeZones: string[]; defaultTimeZone: string }) {
  const formRef = useRef<HTMLFormElement>(null);
  const { state, fieldErrors, formError, attempt, pending, action, onSubmit } = useActionForm(startProgramAction, initialFormState(), check);
  const values = state.values;
  const [slug, setSlug] = useState(values.slug ?? "");
  const slugEdited = useRef(!!values.slug);
  const [showPassword, setShowPassword] = useState(false);

  useEffect(() => {
    const form = formRef.current;
    if (!form) return;
    // What was typed before the script ran decides the address shown, and whether it was the person's own.
    const typedSlug = form.elements.namedItem("slug");
    const typedName = form.elements.namedItem("practiceName");
    if (typedSlug instanceof HTMLInputElement && typedSlug.value) {
      slugEdited.current = true;
      setSlug(typedSlug.value);
    } else if (typedName instanceof HTMLInputElement && typedName.value) {
      setSlug(suggestSlug(typedName.value));
    }
    const zone = form.elements.namedItem("timeZone");
    if (zone instanceof HTMLSelectElement && !values.timeZone && zone.value === defaultTimeZone) zone.value = browserZone(timeZones, defaultTimeZone);
  }, [defaultTimeZone, timeZones, values.timeZone]);

  const text = (name: TextName) => ({ name, defaultValue: values[name], error: fieldErrors[name] });
  const focusField = (name: string) => {
    const element = formRef.current?.elements.namedItem(name);
    if (element instanceof HTMLElement) element.focus();
  };
  const shownSlug = slug.trim().toLowerCase() || "your-practice";

  return (
    <form ref={formRef} action={action} onSubmit={onSubmit} noValidate className="flex flex-col gap-6">
      <ErrorSummary problems={problemsOf(formError, fieldErrors, ORDER)} attempt={attempt} onPick={focusField} />
      <fieldset className="flex flex-col gap-4">
        <legend className="mb-2 text-lg font-semibold text-slate-900">Your practice</legend>
        <TextField
          label="Practice name"
          autoComplete="organization"
          required
          onChange={(e) => {
            if (!slugEdited.current) setSlug(suggestSlug(e.target.value));
          }}
          {...text("practiceName")}
        />
        <div className="flex flex-col gap-1">
          <TextField
            label="Address in links"
            hint="Lower-case letters, digits and single hyphens. Suggested from the name; you can change it."
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={slug}
            onChange={(e) => {
              slugEdited.current = true;
              setSlug(e.target.value);
            }}
            name="slug"
            error={fieldErrors.slug}
          />
          <p className="text-sm text-slate-700">
            Your patients&apos; link: <span className="break-all font-mono text-slate-900">{linkBase + shownSlug}</span>
          </p>
        </div>
        <SelectField
          label="Time zone"
          name="timeZone"
          defaultValue={values.timeZone || defaultTimeZone}
          error={fieldErrors.timeZone}
          options={timeZones.map((zone) => [zone, zone.replaceAll("_", " ")] as const)}
        />
      </fieldset>
      <fieldset className="flex flex-col gap-4">
        <legend className="mb-2 text-lg font-semibold text-slate-900">You, the program&apos;s admin</legend>
        <TextField label="First name" autoComplete="given-name" autoCapitalize="words" required {...text("firstName")} />
        <TextField label="Last name" autoComplete="family-name" autoCapitalize="words" required {...text("lastName")} />
        <TextField
          label="Work email"
          hint="We send a link here to confirm it; the program can go live once it is confirmed."
          type="email"
          inputMode="email"
          autoComplete="email"
          autoCapitalize="none"
          spellCheck={false}
          required
          {...text("email")}
        />
        <TextField
          label="Password"
          hint="At least 10 characters, with letters plus a number or symbol."
          name="password"
          type={showPassword ? "text" : "password"}
          autoComplete="new-password"
          autoCapitalize="none"
          spellCheck={false}
          required
          error={fieldErrors.password}
        />
        <ShowPassword shown={showPassword} onChange={setShowPassword} />
      </fieldset>
      <CheckField
        name="termsAccepted"
        label="I accept the platform terms: I may sign this practice up, and its patients' data is used only to run its referral program."
        defaultChecked={values.termsAccepted === "on"}
        error={fieldErrors.termsAccepted}
      />
      <div className="flex flex-col gap-2">
        <p className="text-sm text-slate-700">
          We store and send your patients&apos; data for you, so we are your business associate under HIPAA. Read the{" "}
          <Link href={BAA_PATH} target="_blank" className="font-medium text-brand-700 underline">
            {BAA_TITLE} (version {BAA_VERSION}, opens in a new tab)
          </Link>{" "}
          and the{" "}
          <Link href={SUBPROCESSORS_PATH} target="_blank" className="font-medium text-brand-700 underline">
            services that may carry patient data (opens in a new tab)
          </Link>
          .
        </p>
        <CheckField
          name="baaAccepted"
          label={`I accept the ${BAA_TITLE} (version ${BAA_VERSION}) on behalf of this practice, signed with the name I typed above, and I may sign it for the practice.`}
          defaultChecked={values.baaAccepted === "on"}
          error={fieldErrors.baaAccepted}
        />
      </div>
      <Button type="submit" busy={pending} className="w-full sm:w-auto sm:self-start">
        {pending ? "Setting up your program…" : "Start my program"}
      </Button>
    </form>
  );
}
