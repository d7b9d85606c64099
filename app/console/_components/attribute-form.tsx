"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Button, TextField } from "@/app/_components/ui";
import { formErrors, type FieldErrors } from "@/app/_trpc/errors";
import { useTRPC } from "@/app/_trpc/client";
import { attributeInput } from "@/server/schemas/controls";

/** Rule C4 (P5's one exception): link this patient to the referrer whose code they name. */
export function AttributeForm({ patientId, onDone }: { patientId: string; onDone: (message: string) => void }) {
  const trpc = useTRPC();
  const [code, setCode] = useState("");
  const [reason, setReason] = useState("");
  const [clientErrors, setClientErrors] = useState<FieldErrors | null>(null);
  const attribute = useMutation(trpc.review.attribute.mutationOptions());
  const server = formErrors(attribute.error);
  const fields = clientErrors ?? server.fields;

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (attribute.isPending) return;
    const parsed = attributeInput.safeParse({ refereeId: patientId, referrerCode: code, reason });
    if (!parsed.success) {
      const errors: FieldErrors = {};
      for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
      setClientErrors(errors);
      return;
    }
    setClientErrors(null);
    attribute.mutate(parsed.data, {
      onSuccess: (result) => {
        onDone(
          result.status === "ineligible"
            ? "Referral recorded as not eligible for a reward (rule P6); the referrals list says why."
            : result.status === "qualified"
              ? "Referral recorded and qualified at once: the patient had already done what earns the reward."
              : "Referral recorded. It follows the program's current terms.",
        );
        setCode("");
        setReason("");
      },
    });
  }

  return (
    <form method="post" onSubmit={submit} noValidate className="flex flex-col gap-3" aria-labelledby="attribute-heading">
      <h3 id="attribute-heading" className="font-semibold text-slate-900">
        Record who referred this patient
      </h3>
      <p className="text-sm text-slate-700">For a patient who signed up without a code but was referred. A patient is referred once.</p>
      <TextField
        label="Referrer's code"
        name="referrerCode"
        autoComplete="off"
        autoCapitalize="characters"
        maxLength={20}
        value={code}
        onChange={(event) => setCode(event.target.value)}
        error={fields.referrerCode}
      />
      <TextField label="Reason" name="reason" autoComplete="off" maxLength={500} value={reason} onChange={(event) => setReason(event.target.value)} error={fields.reason} />
      {!clientErrors && server.form && <p role="alert" className="text-sm font-medium text-red-700">{server.form}</p>}
      <Button type="submit" variant="secondary" busy={attribute.isPending} className="self-start">
        {attribute.isPending ? "Saving…" : "Record referral"}
      </Button>
    </form>
  );
}
