"use client";

import { useRef, useState } from "react";
import { initialFormState } from "@/app/_components/form-state";
import { Button, TextField } from "@/app/_components/ui";
import { acceptInvitationInput } from "@/server/schemas/team";
import { checkWith, ErrorSummary, problemsOf, ShowPassword, useActionForm } from "@/app/_components/form-parts";
import { acceptInvitationAction } from "./actions";

const FIELDS = ["firstName", "lastName", "password"] as const;
type Field = (typeof FIELDS)[number];

const check = checkWith(acceptInvitationInput, (data) => Object.fromEntries(data));

export function AcceptInvitationForm({ token, email }: { token: string; email: string }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [showPassword, setShowPassword] = useState(false);
  const { state, fieldErrors, formError, attempt, pending, action, onSubmit } = useActionForm(acceptInvitationAction, initialFormState(), check);

  const field = (name: Field) => ({ name, defaultValue: name === "password" ? undefined : state.values[name], error: fieldErrors[name] });
  const focusField = (name: string) => {
    const element = formRef.current?.elements.namedItem(name);
    if (element instanceof HTMLElement) element.focus();
  };

  return (
    // Uncontrolled inputs: what a person types before the script runs is theirs (issue 7 item 22). POST keeps the password out of the URL (rule N3).
    <form action={action} onSubmit={onSubmit} ref={formRef} noValidate className="flex flex-col gap-5">
      <ErrorSummary problems={problemsOf(formError, fieldErrors, FIELDS)} attempt={attempt} onPick={focusField} />
      <input type="hidden" name="token" value={token} />
      {/* Lets password managers save the right address with the new password. */}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <TextField label="First name" autoComplete="given-name" autoCapitalize="words" required {...field("firstName")} />
      <TextField label="Last name" autoComplete="family-name" autoCapitalize="words" required {...field("lastName")} />
      <TextField
        label="Choose a password"
        hint="At least 10 characters, with letters plus a number or symbol."
        type={showPassword ? "text" : "password"}
        autoComplete="new-password"
        autoCapitalize="none"
        spellCheck={false}
        required
        {...field("password")}
      />
      <ShowPassword shown={showPassword} onChange={setShowPassword} />
      <Button type="submit" busy={pending} className="w-full">
        {pending ? "Creating your account…" : "Create account and join"}
      </Button>
    </form>
  );
}
