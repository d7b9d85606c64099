"use client";

import { initialFormState } from "@/app/_components/form-state";
import { Alert, Button, TextField } from "@/app/_components/ui";
import { resendLinkInput } from "@/server/schemas/b2b";
import { checkWith, useActionForm } from "@/app/_components/form-parts";
import { resendLinkAction } from "./actions";

const check = checkWith(resendLinkInput, (data) => ({ email: data.get("email") }));

export function ResendForm() {
  const { state, fieldErrors, formError, pending, action, onSubmit } = useActionForm(resendLinkAction, initialFormState(), check);
  if (state.done) return <Alert tone="success">If we have referrals from that address, a new link is on its way to it.</Alert>;
  return (
    // A POST to a server action, with or without the script: the email never lands in the URL (rule N3).
    <form action={action} onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
      {formError && <Alert>{formError}</Alert>}
      <TextField label="Email" name="email" type="email" inputMode="email" autoComplete="email" defaultValue={state.values.email} error={fieldErrors.email} />
      <Button type="submit" busy={pending} className="self-start">
        Send me a link
      </Button>
    </form>
  );
}
