"use client";

import { useMutation } from "@tanstack/react-query";
import { Button } from "@/app/_components/ui";
import { formErrors } from "@/app/_trpc/errors";
import { useTRPC } from "@/app/_trpc/client";
import { CONFIRM_EMAIL_FIRST } from "@/server/schemas/clinic-onboarding";

/** Issue 13: going live waits for a confirmed admin address; this says so and sends a new link to the signed-in admin. */
export function ConfirmEmailNotice() {
  const trpc = useTRPC();
  const resend = useMutation(trpc.accountEmails.resendVerification.mutationOptions());
  const error = formErrors(resend.error).form;
  return (
    <div className="flex flex-col gap-2 rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950">
      <p>{CONFIRM_EMAIL_FIRST}</p>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="button" variant="secondary" busy={resend.isPending} disabled={resend.data?.state === "sent"} onClick={() => resend.mutate()}>
          {resend.isPending ? "Sending…" : "Send me a new link"}
        </Button>
        <p role="status" className="font-medium">
          {resend.data?.state === "sent" && "A new link is on its way to your email address."}
          {resend.data?.state === "already_verified" && "Your address is already confirmed. Reload this page."}
        </p>
      </div>
      {error && (
        <p role="alert" className="font-medium text-red-800">
          {error}
        </p>
      )}
    </div>
  );
}
