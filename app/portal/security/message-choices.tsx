"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Alert, Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { formErrors } from "@/app/_trpc/errors";
import { MARKETING_OPT_IN_WORDING, SMS_OPT_IN_WORDING } from "@/server/schemas/account";

/** Rules A2, N7: the patient's own text and reminder opt-ins; each change applies to the next message. */
export function MessageChoices() {
  const trpc = useTRPC();
  const current = useQuery(trpc.messages.myConsent.queryOptions());
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const set = useMutation(
    trpc.messages.setMyConsent.mutationOptions({
      onSuccess: () => (setError(null), setSaved(true), void current.refetch()),
      onError: (e) => (setSaved(false), setError(formErrors(e).form ?? Object.values(formErrors(e).fields).find(Boolean) ?? "That didn't save.")),
    }),
  );
  const data = current.data;
  return (
    <Card title="Messages">
      {error && <Alert>{error}</Alert>}
      {saved && <Alert tone="success">Saved.</Alert>}
      {data && (
        <fieldset className="flex flex-col gap-2">
          <legend className="sr-only">Message choices</legend>
          <label className="flex min-h-11 items-start gap-3 text-slate-800">
            <input type="checkbox" className="mt-1 h-5 w-5" checked={data.sms} disabled={set.isPending || (!data.hasPhone && !data.sms)} onChange={(e) => set.mutate({ sms: e.target.checked, marketing: data.marketing })} />
            <span>
              {SMS_OPT_IN_WORDING}
              {!data.hasPhone && <span className="block text-sm text-slate-600">Your account has no mobile number, so texts are off.</span>}
            </span>
          </label>
          <label className="flex min-h-11 items-start gap-3 text-slate-800">
            <input type="checkbox" className="mt-1 h-5 w-5" checked={data.marketing} disabled={set.isPending} onChange={(e) => set.mutate({ sms: data.sms, marketing: e.target.checked })} />
            <span>{MARKETING_OPT_IN_WORDING}</span>
          </label>
        </fieldset>
      )}
    </Card>
  );
}
