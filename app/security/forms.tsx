"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { initialFormState } from "@/app/_components/form-state";
import { checkWith, ErrorSummary, problemsOf, ShowPassword, useActionForm } from "@/app/_components/form-parts";
import { Alert, Button, TextField } from "@/app/_components/ui";
import { changePasswordInput, totpCodeInput } from "@/server/schemas/security";
import { changePasswordAction, confirmTwoFactorAction, disableTwoFactorAction, signOutEverywhereAction, startTwoFactorAction } from "./actions";

const checkPassword = checkWith(changePasswordInput, (data) => ({ currentPassword: data.get("currentPassword"), newPassword: data.get("newPassword") }));
const checkCode = checkWith(totpCodeInput, (data) => ({ code: data.get("code") }));

/** Rule N6: the current password is asked for; the other browsers are signed out. */
export function PasswordForm() {
  const [shown, setShown] = useState(false);
  const { state, fieldErrors, formError, attempt, pending, action, onSubmit } = useActionForm(changePasswordAction, initialFormState(), checkPassword);
  return (
    <form action={action} onSubmit={onSubmit} noValidate className="flex flex-col gap-4" key={state.done ? `done-${state.attempt}` : "form"}>
      {state.done && <Alert tone="success">{state.values.notice}</Alert>}
      <ErrorSummary problems={problemsOf(formError, fieldErrors, ["currentPassword", "newPassword"])} attempt={attempt} />
      <TextField label="Current password" name="currentPassword" type={shown ? "text" : "password"} autoComplete="current-password" required error={fieldErrors.currentPassword} />
      <TextField
        label="New password"
        name="newPassword"
        type={shown ? "text" : "password"}
        autoComplete="new-password"
        hint="At least 10 characters, with letters and numbers or symbols."
        required
        error={fieldErrors.newPassword}
      />
      <ShowPassword shown={shown} onChange={setShown} />
      <Button type="submit" busy={pending} className="self-start">
        {pending ? "Changing…" : "Change password"}
      </Button>
    </form>
  );
}

export function SignOutEverywhereForm() {
  const router = useRouter();
  const { state, formError, attempt, pending, action, onSubmit } = useActionForm(signOutEverywhereAction, initialFormState());
  useEffect(() => {
    if (state.done) router.refresh();
  }, [state, router]);
  return (
    <form action={action} onSubmit={onSubmit} className="flex flex-col gap-3">
      {state.done && <Alert tone="success">{state.values.notice}</Alert>}
      <ErrorSummary problems={problemsOf(formError, {}, [])} attempt={attempt} />
      <Button type="submit" variant="secondary" busy={pending} className="self-start">
        Sign out everywhere else
      </Button>
    </form>
  );
}

export function StartTwoFactorForm({ again }: { again: boolean }) {
  const router = useRouter();
  const { state, formError, attempt, pending, action, onSubmit } = useActionForm(startTwoFactorAction, initialFormState());
  useEffect(() => {
    if (state.done) router.refresh();
  }, [state, router]);
  return (
    <form action={action} onSubmit={onSubmit} className="flex flex-col gap-3">
      <ErrorSummary problems={problemsOf(formError, {}, [])} attempt={attempt} />
      <Button type="submit" variant={again ? "secondary" : "primary"} busy={pending} className="self-start">
        {again ? "Start again with a new code" : "Set up two-factor sign-in"}
      </Button>
    </form>
  );
}

/** The ten recovery codes appear here once; nothing shows them again. */
export function ConfirmTwoFactorForm() {
  const { state, fieldErrors, formError, attempt, pending, action, onSubmit } = useActionForm(confirmTwoFactorAction, initialFormState(), checkCode);
  if (state.done) {
    const codes = (state.values.recoveryCodes ?? "").split(" ").filter(Boolean);
    return (
      <div className="flex flex-col gap-3">
        <Alert tone="success">Two-factor sign-in is on. Other browsers were signed out.</Alert>
        <p className="text-slate-800">
          Keep these recovery codes somewhere safe. Each works once, in place of a code from your app, if you lose your phone. They are shown only now.
        </p>
        <ul aria-label="Recovery codes" className="grid grid-cols-2 gap-2 font-mono text-sm text-slate-900">
          {codes.map((code) => (
            <li key={code} className="rounded border border-slate-200 bg-slate-50 px-2 py-1">
              {code}
            </li>
          ))}
        </ul>
        <a href="/security" className="self-start text-sm font-medium text-brand-700 underline">
          I have saved them
        </a>
      </div>
    );
  }
  return (
    <form action={action} onSubmit={onSubmit} noValidate className="flex flex-col gap-3">
      <ErrorSummary problems={problemsOf(formError, fieldErrors, ["code"])} attempt={attempt} />
      <TextField label="Code from your app" name="code" inputMode="numeric" autoComplete="one-time-code" defaultValue={state.values.code} required error={fieldErrors.code} />
      <Button type="submit" busy={pending} className="self-start">
        Turn on
      </Button>
    </form>
  );
}

export function DisableTwoFactorForm() {
  const router = useRouter();
  const { state, fieldErrors, formError, attempt, pending, action, onSubmit } = useActionForm(disableTwoFactorAction, initialFormState());
  useEffect(() => {
    if (state.done) router.refresh();
  }, [state, router]);
  return (
    <form action={action} onSubmit={onSubmit} noValidate className="flex flex-col gap-3">
      <ErrorSummary problems={problemsOf(formError, fieldErrors, ["password"])} attempt={attempt} />
      <TextField label="Your password, to turn it off" name="password" type="password" autoComplete="current-password" required error={fieldErrors.password} />
      <Button type="submit" variant="danger" busy={pending} className="self-start">
        Turn off two-factor sign-in
      </Button>
    </form>
  );
}
