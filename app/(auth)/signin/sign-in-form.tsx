"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { initialFormState } from "@/app/_components/form-state";
import { Button, TextField } from "@/app/_components/ui";
import { signInInput } from "@/server/schemas/account";
import { checkWith, ErrorSummary, problemsOf, ShowPassword, useActionForm } from "@/app/_components/form-parts";
import { signInAction } from "./actions";

const check = checkWith(signInInput, (data) => ({ email: data.get("email"), password: data.get("password"), clinic: data.get("clinic") ?? undefined }));

/** `clinic` is set on a clinic's own sign-in page (rule N6); elsewhere a choice appears only when needed. */
export function SignInForm({ clinic, email }: { clinic?: string; email?: string }) {
  const password = useRef<HTMLInputElement>(null);
  const [showPassword, setShowPassword] = useState(false);
  const { state, fieldErrors, formError, attempt, pending, action, onSubmit } = useActionForm(signInAction, initialFormState(email ? { email } : {}), check);
  const choices = clinic ? [] : (state.choices ?? []);
  // A clinic chosen from the list stays chosen while the second factor is asked for.
  const chosenClinic = clinic ?? (choices.length ? undefined : state.values.clinic || undefined);
  const asksForCode = state.values.secondFactor === "1";
  // A refused password is typed again, as it is when the page comes back without the script; not when only the code was missing.
  useEffect(() => {
    if (state.form && password.current && state.values.secondFactor !== "1") password.current.value = "";
  }, [state]);

  return (
    // Uncontrolled inputs: what a person types before the script runs is theirs (issue 7 item 22). POST keeps the password out of the URL (rule N3).
    <form action={action} onSubmit={onSubmit} noValidate className="flex flex-col gap-5">
      <ErrorSummary problems={problemsOf(formError, fieldErrors, ["email", "password"])} attempt={attempt} />
      {chosenClinic && <input type="hidden" name="clinic" value={chosenClinic} />}
      {choices.length > 0 && (
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 font-medium text-slate-900">Which clinic do you want to sign in to?</legend>
          {choices.map((choice, i) => (
            <label key={choice.value} className="flex items-center gap-2 text-slate-800">
              <input type="radio" name="clinic" value={choice.value} defaultChecked={i === 0} className="h-5 w-5" />
              {choice.label}
            </label>
          ))}
        </fieldset>
      )}
      <TextField
        label="Email"
        name="email"
        type="email"
        inputMode="email"
        autoComplete="email"
        autoCapitalize="none"
        spellCheck={false}
        required
        defaultValue={state.values.email}
        error={fieldErrors.email}
      />
      <TextField
        ref={password}
        label="Password"
        name="password"
        type={showPassword ? "text" : "password"}
        autoComplete="current-password"
        autoCapitalize="none"
        spellCheck={false}
        required
        error={fieldErrors.password}
      />
      <ShowPassword shown={showPassword} onChange={setShowPassword} />
      {asksForCode && (
        // Rule N6: the second factor, asked for once the password was right.
        <TextField
          label="Authenticator code"
          name="code"
          hint="The 6-digit code from your authenticator app, or one of your recovery codes."
          inputMode="text"
          autoComplete="one-time-code"
          autoCapitalize="none"
          spellCheck={false}
          autoFocus
          required
        />
      )}
      <Button type="submit" busy={pending} className="w-full">
        {pending ? "Signing in…" : "Sign in"}
      </Button>
      <Link href={clinic ? `/reset?clinic=${encodeURIComponent(clinic)}` : "/reset"} className="text-sm text-brand-700 underline">
        Forgot your password?
      </Link>
    </form>
  );
}
