"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useTransition } from "react";
import { Alert, Button, Card } from "@/app/_components/ui";
import { formErrors } from "@/app/_trpc/errors";
import { useTRPC } from "@/app/_trpc/client";

/** Rule P14: the patient reads and accepts the current terms, by version, before their link is shown. */
export function TermsAcceptance({ version, text, clinicName }: { version: number; text: string; clinicName: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const termsId = useId();
  const [refreshing, startRefresh] = useTransition();
  const accept = useMutation(trpc.portal.acceptTerms.mutationOptions());
  const error = formErrors(accept.error).form;

  function submit() {
    if (accept.isPending || refreshing) return;
    accept.mutate(
      { termsVersion: version },
      // The page reads the acceptance on the server; a newer version shows up the same way.
      { onSuccess: () => startRefresh(() => router.refresh()), onError: () => startRefresh(() => router.refresh()) },
    );
  }

  return (
    <Card title="Your referral link">
      <p className="text-slate-800">
        Before you share, please read {clinicName}&apos;s referral program terms (version {version}).
      </p>
      <div
        id={termsId}
        tabIndex={0}
        role="region"
        aria-label={`Program terms, version ${version}`}
        className="my-3 max-h-64 overflow-y-auto rounded-lg border border-slate-200 bg-slate-50 px-3 py-3 text-sm whitespace-pre-line text-slate-800"
      >
        {text || "Share your personal link with friends and family."}
      </div>
      {error && <Alert>{error}</Alert>}
      <Button type="button" className="mt-3 w-full sm:w-auto" busy={accept.isPending || refreshing} aria-describedby={termsId} onClick={submit}>
        {accept.isPending || refreshing ? "Saving…" : "Accept and show my link"}
      </Button>
    </Card>
  );
}
