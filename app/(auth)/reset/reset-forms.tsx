"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Alert, Button, TextField } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { formErrors, type FieldErrors } from "@/app/_trpc/errors";

export function ResetRequestForm({ clinicSlug }: { clinicSlug: string | null }) {
  const trpc = useTRPC();
  const [email, setEmail] = useState("");
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const request = useMutation(trpc.accountEmails.requestReset.mutationOptions({ onError: (e) => (setError(formErrors(e).form), setFields(formErrors(e).fields)) }));
  if (request.isSuccess) return <Alert tone="success">If that address has an account, a reset link is on its way. Check your inbox.</Alert>;
  return (
    // Rule N3: sent before the script runs, it is a POST: a password or an address never reaches the URL.
    <form
      method="post"
      className="flex flex-col gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        request.mutate({ email, clinicSlug });
      }}
    >
      {error && <Alert>{error}</Alert>}
      <TextField label="Email" name="email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} error={fields.email} />
      <Button type="submit" busy={request.isPending}>
        Send the reset link
      </Button>
    </form>
  );
}

/** What the form is for: a forgotten password, or the first one of an account made for its owner (a portal invitation). */
const WORDS = {
  reset: { label: "New password", button: "Save the new password", done: "Your password was changed and every session signed out." },
  claim: { label: "Password", button: "Save my password", done: "Your password is set." },
} as const;

export function NewPasswordForm({ token, purpose = "reset" }: { token: string; purpose?: keyof typeof WORDS }) {
  const words = WORDS[purpose];
  const trpc = useTRPC();
  const [password, setPassword] = useState("");
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const reset = useMutation(trpc.accountEmails.resetPassword.mutationOptions({ onError: (e) => (setError(formErrors(e).form ?? formErrors(e).fields.token ?? null), setFields(formErrors(e).fields)) }));
  if (reset.isSuccess) {
    return (
      <Alert tone="success">
        {words.done} <Link href="/signin" className="underline">Sign in</Link> with {purpose === "claim" ? "it" : "the new one"}.
      </Alert>
    );
  }
  return (
    // Rule N3: sent before the script runs, it is a POST: a password or an address never reaches the URL.
    <form
      method="post"
      className="flex flex-col gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        reset.mutate({ token, newPassword: password });
      }}
    >
      {error && <Alert>{error}</Alert>}
      <TextField label={words.label} name="newPassword" type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} error={fields.newPassword} hint="At least 10 characters." />
      <Button type="submit" busy={reset.isPending}>
        {words.button}
      </Button>
    </form>
  );
}
