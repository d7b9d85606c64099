"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Alert, Button, TextField } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { formErrors } from "@/app/_trpc/errors";
import { resendLinkInput } from "@/server/schemas/b2b";

export function ResendForm() {
  const trpc = useTRPC();
  const resend = useMutation(trpc.partner.resendLink.mutationOptions());
  const [email, setEmail] = useState("");
  const [error, setError] = useState<string | null>(null);
  async function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    const parsed = resendLinkInput.safeParse({ email });
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? "Enter your email address.");
    setError(null);
    await resend.mutateAsync(parsed.data).catch((e: unknown) => setError(formErrors(e).form ?? "Please try again."));
  }
  if (resend.isSuccess) return <Alert tone="success">If we have referrals from that address, a new link is on its way to it.</Alert>;
  return (
    <form noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
      <TextField label="Email" name="email" type="email" inputMode="email" autoComplete="email" value={email} error={error ?? undefined} onChange={(e) => setEmail(e.target.value)} />
      <Button type="submit" busy={resend.isPending} className="self-start">
        Send me a link
      </Button>
    </form>
  );
}
