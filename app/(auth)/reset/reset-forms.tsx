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
    <form
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

export function NewPasswordForm({ token }: { token: string }) {
  const trpc = useTRPC();
  const [password, setPassword] = useState("");
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const reset = useMutation(trpc.accountEmails.resetPassword.mutationOptions({ onError: (e) => (setError(formErrors(e).form ?? formErrors(e).fields.token ?? null), setFields(formErrors(e).fields)) }));
  if (reset.isSuccess) {
    return (
      <Alert tone="success">
        Your password was changed and every session signed out. <Link href="/signin" className="underline">Sign in</Link> with the new one.
      </Alert>
    );
  }
  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        reset.mutate({ token, newPassword: password });
      }}
    >
      {error && <Alert>{error}</Alert>}
      <TextField label="New password" name="newPassword" type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} error={fields.newPassword} hint="At least 10 characters." />
      <Button type="submit" busy={reset.isPending}>
        Save the new password
      </Button>
    </form>
  );
}
