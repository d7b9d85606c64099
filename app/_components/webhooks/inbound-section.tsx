"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { SelectField } from "@/app/_components/fields";
import { formatDate } from "@/app/_components/format";
import { Alert, Button, Card, TextField } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { formErrors } from "@/app/_trpc/errors";
import { InboundEndpointItem } from "./inbound-endpoint";
import { refreshQueries } from "@/app/_trpc/refresh";

type Api = ReturnType<typeof useTRPC>["integrations"];
type Provider = "stripe" | "calendly" | "typeform";

const PROVIDERS: Record<Provider, string> = {
  stripe: "Stripe: paid orders and refunds",
  calendly: "Calendly: bookings and cancellations",
  typeform: "Typeform: practice referrals",
};

/** "answer_ref = referralField" lines, for a Typeform endpoint's field mapping (rule B1). */
function parseMapping(text: string): Record<string, string> | undefined {
  const pairs = text
    .split("\n")
    .map((line) => line.split("=").map((part) => part.trim()))
    .filter((parts): parts is [string, string] => parts.length === 2 && !!parts[0] && !!parts[1]);
  return pairs.length ? Object.fromEntries(pairs) : undefined;
}

/** Rule A5: where providers post their events, and what became of each event. */
export function InboundSection({ api, providers }: { api: Api; providers: readonly Provider[] }) {
  const queryClient = useQueryClient();
  const endpoints = useQuery(api.inboundEndpoints.queryOptions());
  const [failedOnly, setFailedOnly] = useState(false);
  const events = useQuery({ ...api.inboundEvents.queryOptions({ failedOnly }), refetchInterval: 10_000 });
  const create = useMutation(api.createInbound.mutationOptions());
  const reprocess = useMutation(api.reprocessInbound.mutationOptions({ onSuccess: () => void refreshQueries(queryClient, api.inboundEvents.queryKey()) }));
  const [provider, setProvider] = useState<Provider>(providers[0] ?? "stripe");
  const [secret, setSecret] = useState("");
  const [mapping, setMapping] = useState("");
  const [created, setCreated] = useState<{ url: string; signingSecret: string } | null>(null);
  const errors = formErrors(create.error);
  const mappingId = useId();

  function submit(event: React.FormEvent) {
    event.preventDefault();
    setCreated(null);
    create.mutate(
      { provider, signingSecret: secret.trim() || undefined, fieldMapping: provider === "typeform" ? parseMapping(mapping) : undefined },
      {
        onSuccess(result) {
          setCreated(result);
          setSecret("");
          void refreshQueries(queryClient, api.inboundEndpoints.queryKey());
        },
      },
    );
  }

  return (
    <div className="flex flex-col gap-6">
      <Card title="Receive events from a provider">
        <form method="post" noValidate onSubmit={submit} className="flex flex-col gap-4">
          {errors.form && <Alert>{errors.form}</Alert>}
          <SelectField label="Provider" name="provider" value={provider} options={providers.map((p) => [p, PROVIDERS[p]] as const)} error={errors.fields.provider} onChange={(e) => setProvider(e.target.value as Provider)} />
          <TextField label="Signing secret (optional)" name="signingSecret" autoComplete="off" spellCheck={false} value={secret} error={errors.fields.signingSecret} hint="Paste it from the provider's webhook settings, or leave it empty and we make one for you to paste there." onChange={(e) => setSecret(e.target.value)} />
          {provider === "typeform" && (
            <div className="flex flex-col gap-1">
              <label htmlFor={mappingId} className="text-sm font-medium text-slate-800">
                Field mapping, one per line: answer ref = referral field (e.g. practice_name = practiceName)
              </label>
              <textarea id={mappingId} rows={6} value={mapping} onChange={(e) => setMapping(e.target.value)} className="rounded-lg border border-slate-300 px-3 py-2 font-mono text-sm" />
              {errors.fields.fieldMapping && <p className="text-sm font-medium text-red-700">{errors.fields.fieldMapping}</p>}
            </div>
          )}
          <Button type="submit" busy={create.isPending} className="self-start">
            Create receiving address
          </Button>
        </form>
        <div role="status" className="mt-4">
          {created && (
            <div className="flex flex-col gap-2 rounded-lg border border-emerald-300 bg-emerald-50 p-4 text-sm text-emerald-900">
              <p className="font-semibold">Paste this address into the provider&apos;s webhook settings:</p>
              <code className="break-all rounded bg-white px-2 py-1 text-slate-900">{created.url}</code>
              <p className="font-semibold">Signing secret:</p>
              <code className="break-all rounded bg-white px-2 py-1 text-slate-900">{created.signingSecret}</code>
            </div>
          )}
        </div>
        {!!endpoints.data?.length && (
          <ul aria-label="Receiving addresses" className="mt-4 flex flex-col gap-2 text-sm text-slate-800">
            {endpoints.data.map((e) => (
              <InboundEndpointItem key={e.id} api={api} endpoint={e} />
            ))}
          </ul>
        )}
      </Card>
      <Card title="Inbound events">
        <label className="flex min-h-11 items-center gap-3 text-sm text-slate-800">
          <input type="checkbox" className="size-5 accent-brand-600" checked={failedOnly} onChange={(e) => setFailedOnly(e.target.checked)} />
          Only events that failed
        </label>
        {formErrors(reprocess.error).form && <Alert>{formErrors(reprocess.error).form}</Alert>}
        <div className="relative overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="py-2 text-left text-slate-700">Newest first; raw payloads are kept 30 days</caption>
            <thead>
              <tr className="border-b border-slate-200">
                {["Received", "Provider", "Event", "Status", "Outcome", ""].map((h, i) => (
                  <th key={i} scope="col" className="px-2 py-1 font-semibold text-slate-800">
                    {h || <span className="sr-only">Actions</span>}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {events.data?.map((e) => (
                <tr key={e.id} className="border-b border-slate-100 align-top">
                  <td className="whitespace-nowrap px-2 py-1">{formatDate(e.receivedAt)}</td>
                  <td className="px-2 py-1">{e.provider}</td>
                  <td className="px-2 py-1">
                    <code>{e.type}</code>
                  </td>
                  <td className="px-2 py-1">{e.status}</td>
                  <td className="max-w-sm px-2 py-1 text-slate-700">{e.outcome ?? ""}</td>
                  <td className="px-2 py-1">
                    {(e.status === "failed" || e.status === "ignored") && (
                      <Button variant="secondary" busy={reprocess.isPending && reprocess.variables?.inboundEventId === e.id} onClick={() => reprocess.mutate({ inboundEventId: e.id })}>
                        Re-process
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
    </div>
  );
}
