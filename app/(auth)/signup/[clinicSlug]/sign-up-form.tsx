"use client";

import { CheckField } from "@/app/_components/fields";
import { useEffect, useRef, useState } from "react";
import { formatCents } from "@/app/_components/format";
import { initialFormState } from "@/app/_components/form-state";
import { Button, TextField } from "@/app/_components/ui";
import { MARKETING_OPT_IN_WORDING, signUpInput, SMS_OPT_IN_WORDING } from "@/server/schemas/account";
import { checkWith, ErrorSummary, problemsOf, ShowPassword, useActionForm } from "@/app/_components/form-parts";
import { signUpAction } from "./actions";

const FIELDS = ["firstName", "lastName", "email", "phone", "password", "referralCode"] as const;
type Field = (typeof FIELDS)[number];

const check = checkWith(signUpInput, (data) => Object.fromEntries(data));

export function SignUpForm({ clinicSlug, invitedCode, welcomeCreditCents }: { clinicSlug: string; invitedCode: string; welcomeCreditCents: number }) {
  const formRef = useRef<HTMLFormElement>(null);
  // Rule P5: prefilled from the invitation, and the person may still change or clear it.
  const { state, fieldErrors, formError, attempt, pending, action, onSubmit } = useActionForm(signUpAction, initialFormState({ referralCode: invitedCode }), check);
  const [showPassword, setShowPassword] = useState(false);
  const [hasCode, setHasCode] = useState(invitedCode.trim() !== "");
  // A code typed or cleared before the script ran.
  useEffect(() => {
    const code = formRef.current?.elements.namedItem("referralCode");
    if (code instanceof HTMLInputElement) setHasCode(code.value.trim() !== "");
  }, []);

  const field = (name: Field) => ({ name, defaultValue: name === "password" ? undefined : state.values[name], error: fieldErrors[name] });

  const focusField = (name: string) => {
    const element = formRef.current?.elements.namedItem(name);
    if (element instanceof HTMLElement) element.focus();
  };

  return (
    // Uncontrolled inputs: what a person types before the script runs is theirs (issue 7 item 22). POST keeps it out of the URL (rule N3).
    <form action={action} onSubmit={onSubmit} ref={formRef} noValidate className="flex flex-col gap-5">
      <ErrorSummary problems={problemsOf(formError, fieldErrors, FIELDS)} attempt={attempt} onPick={focusField} />
      <input type="hidden" name="clinicSlug" value={clinicSlug} />
      <TextField label="First name" autoComplete="given-name" autoCapitalize="words" required {...field("firstName")} />
      <TextField label="Last name" autoComplete="family-name" autoCapitalize="words" required {...field("lastName")} />
      <TextField
        label="Email"
        type="email"
        inputMode="email"
        autoComplete="email"
        autoCapitalize="none"
        spellCheck={false}
        required
        {...field("email")}
      />
      <TextField
        label="Mobile phone (optional)"
        hint="Include the area code."
        type="tel"
        inputMode="tel"
        autoComplete="tel"
        {...field("phone")}
      />
      <CheckField name="smsOptIn" label={SMS_OPT_IN_WORDING} />
      <CheckField name="marketingOptIn" label={MARKETING_OPT_IN_WORDING} />
      <TextField
        label="Password"
        hint="At least 10 characters, with letters plus a number or symbol."
        type={showPassword ? "text" : "password"}
        autoComplete="new-password"
        autoCapitalize="none"
        spellCheck={false}
        required
        {...field("password")}
      />
      <ShowPassword shown={showPassword} onChange={setShowPassword} />
      <TextField
        label="Referral code (optional)"
        hint={
          invitedCode
            ? "Filled in from your invitation link. You can change it, or clear it if it isn't yours."
            : "The code from your invitation, if a friend invited you."
        }
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        onChange={(e) => setHasCode(e.target.value.trim() !== "")}
        {...field("referralCode")}
      />
      {hasCode && welcomeCreditCents > 0 && (
        // Rule P5: the referee learns what the code brings them before they commit.
        <p className="-mt-2 rounded-lg bg-brand-50 px-3 py-2 text-sm text-brand-800">
          With a referral code, you get a <strong>{formatCents(welcomeCreditCents)} welcome credit</strong> toward your next
          visit after your first paid visit.
        </p>
      )}
      <Button type="submit" busy={pending} className="w-full">
        {pending ? "Creating your account…" : "Create account"}
      </Button>
    </form>
  );
}
