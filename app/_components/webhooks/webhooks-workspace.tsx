"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { formatDate } from "@/app/_components/format";
import { Alert, Button, Card, StatusBadge, TextField } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { formErrors } from "@/app/_trpc/errors";
import type { RouterInputs, RouterOutputs } from "@/server/root";
import { InboundSection } from "./inbound-section";
import { refreshQueries } from "@/app/_trpc/refresh";

type Endpoint = RouterOutputs["integrations"]["webhooks"][number];
type EventChoice = RouterInputs["integrations"]["createWebhook"]["events"];

/**
 * Rule A4: webhook endpoints, their secrets and their delivery log. One workspace for a clinic's
 * admins (`integrations`) and the platform's (`platformIntegrations`, the partner program's events).
 */
export function WebhooksWorkspace({
  scope,
  eventTypes,
  inboundProviders,
}: {
  scope: "integrations" | "platformIntegrations";
  eventTypes: readonly string[];
  inboundProviders: readonly ("stripe" | "calendly" | "typeform")[];
}) {
  const trpc = useTRPC();
  // Both routers are built from one set of procedures, with the same inputs and outputs.
  const api = trpc[scope] as typeof trpc.integrations;
  const endpoints = useQuery(api.webhooks.queryOptions());
  return (
    <div className="flex flex-col gap-6">
      <CreateEndpoint api={api} eventTypes={eventTypes} />
      <section aria-labelledby="endpoints-heading" className="flex flex-col gap-4">
        <h2 id="endpoints-heading" className="text-lg font-semibold text-slate-900">
          Endpoints
        </h2>
        {endpoints.isPending && <p className="text-slate-700">Loading…</p>}
        {endpoints.data?.length === 0 && <p className="text-slate-700">No endpoints yet.</p>}
        {endpoints.data?.map((endpoint) => <EndpointCard key={endpoint.id} api={api} endpoint={endpoint} />)}
      </section>
      <section aria-labelledby="inbound-heading" className="flex flex-col gap-4">
        <h2 id="inbound-heading" className="text-lg font-semibold text-slate-900">
          Incoming events
        </h2>
        <InboundSection api={api} providers={inboundProviders} />
      </section>
    </div>
  );
}

type Api = ReturnType<typeof useTRPC>["integrations"];

function CreateEndpoint({ api, eventTypes }: { api: Api; eventTypes: readonly string[] }) {
  const queryClient = useQueryClient();
  const create = useMutation(api.createWebhook.mutationOptions());
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [all, setAll] = useState(true);
  const [chosen, setChosen] = useState<string[]>([]);
  const [contact, setContact] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const errors = formErrors(create.error);

  function submit(event: React.FormEvent) {
    event.preventDefault();
    setSecret(null);
    create.mutate(
      { url, description, events: all ? ["*"] : (chosen as EventChoice), mayReceiveContactDetails: contact },
      {
        onSuccess(result) {
          setSecret(result.secret);
          setUrl("");
          setDescription("");
          void refreshQueries(queryClient, api.webhooks.queryKey());
        },
      },
    );
  }

  return (
    <Card title="Add an endpoint">
      <form method="post" noValidate onSubmit={submit} className="flex flex-col gap-4">
        {errors.form && <Alert>{errors.form}</Alert>}
        <TextField label="Endpoint URL" name="url" type="url" inputMode="url" spellCheck={false} value={url} error={errors.fields.url} hint="Where we POST each event, e.g. a Zapier, Make, Power Automate or Slack webhook address." onChange={(e) => setUrl(e.target.value)} />
        <TextField label="Description (optional)" name="description" value={description} error={errors.fields.description} onChange={(e) => setDescription(e.target.value)} />
        <fieldset className="flex flex-col gap-2">
          <legend className="text-sm font-medium text-slate-800">Events</legend>
          <label className="flex min-h-11 items-center gap-3 text-sm text-slate-800">
            <input type="checkbox" className="size-5 accent-brand-600" checked={all} onChange={(e) => setAll(e.target.checked)} />
            Every event
          </label>
          {!all && (
            <div className="grid gap-1 sm:grid-cols-2">
              {eventTypes.map((type) => (
                <label key={type} className="flex min-h-11 items-center gap-3 text-sm text-slate-800">
                  <input
                    type="checkbox"
                    className="size-5 accent-brand-600"
                    checked={chosen.includes(type)}
                    onChange={(e) => setChosen((list) => (e.target.checked ? [...list, type] : list.filter((t) => t !== type)))}
                  />
                  <code>{type}</code>
                </label>
              ))}
            </div>
          )}
          {errors.fields.events && <p className="text-sm font-medium text-red-700">{errors.fields.events}</p>}
        </fieldset>
        <label className="flex min-h-11 items-start gap-3 text-sm text-slate-800">
          <input type="checkbox" className="mt-0.5 size-5 accent-brand-600" checked={contact} onChange={(e) => setContact(e.target.checked)} />
          <span>
            May receive contact details (name, email, phone). Tick this only for a system covered by a business associate agreement, such as your CRM. Without it, deliveries carry ids, statuses, amounts and first names only. The choice is recorded in the audit log.
          </span>
        </label>
        <Button type="submit" busy={create.isPending} className="self-start">
          {create.isPending ? "Adding…" : "Add endpoint"}
        </Button>
      </form>
      <div role="status" className="mt-4">
        {secret && <SecretNotice secret={secret} title="Endpoint added. Its signing secret:" />}
      </div>
    </Card>
  );
}

function SecretNotice({ secret, title }: { secret: string; title: string }) {
  return (
    <div className="flex flex-col gap-2 rounded-lg border border-emerald-300 bg-emerald-50 p-4 text-sm text-emerald-900">
      <p className="font-semibold">{title}</p>
      <code className="break-all rounded bg-white px-2 py-1 text-slate-900">{secret}</code>
      <p>Give it to the receiving system to verify the webhook-signature header (Standard Webhooks).</p>
    </div>
  );
}

const STATUS_TONE = { active: "good", paused: "warn", disabled: "bad" } as const;

function EndpointCard({ api, endpoint }: { api: Api; endpoint: Endpoint }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [secret, setSecret] = useState<{ value: string; title: string } | null>(null);
  const refresh = () => {
    void refreshQueries(queryClient, api.webhooks.queryKey());
    void refreshQueries(queryClient, api.webhook.queryKey({ endpointId: endpoint.id }));
  };
  const pause = useMutation(api.pauseWebhook.mutationOptions({ onSuccess: refresh }));
  const test = useMutation(api.sendTestEvent.mutationOptions({ onSuccess: refresh }));
  const rotate = useMutation(api.rotateWebhookSecret.mutationOptions({ onSuccess: (r) => setSecret({ value: r.secret, title: `New secret. The old one also signs until ${formatDate(r.previousExpiresAt)}.` }) }));
  const reveal = useMutation(api.revealWebhookSecret.mutationOptions({ onSuccess: (r) => setSecret({ value: r.secret, title: "Signing secret:" }) }));
  const remove = useMutation(api.deleteWebhook.mutationOptions({ onSuccess: refresh }));
  const error = [pause, test, rotate, reveal, remove].map((m) => formErrors(m.error).form).find(Boolean);
  const paused = endpoint.status !== "active";
  return (
    <Card>
      <div className="flex flex-col gap-3">
        <div className="flex flex-wrap items-center gap-2">
          <h3 className="break-all font-semibold text-slate-900">{endpoint.url}</h3>
          <StatusBadge tone={STATUS_TONE[endpoint.status]}>
            {endpoint.status}
            {endpoint.disabledReason === "gone" ? " (answered 410 Gone)" : endpoint.disabledReason === "failing" ? " (20 failures in a row)" : ""}
          </StatusBadge>
          {endpoint.mayReceiveContactDetails && <StatusBadge tone="warn">receives contact details</StatusBadge>}
        </div>
        {endpoint.description && <p className="text-sm text-slate-700">{endpoint.description}</p>}
        <p className="text-sm text-slate-700">Events: {endpoint.events.includes("*") ? "every event" : endpoint.events.join(", ")}</p>
        {error && <Alert>{error}</Alert>}
        <div className="flex flex-wrap gap-2">
          <Button variant="secondary" busy={pause.isPending} onClick={() => pause.mutate({ endpointId: endpoint.id, paused: !paused })}>
            {paused ? "Resume" : "Pause"}
          </Button>
          <Button variant="secondary" busy={test.isPending} disabled={paused} onClick={() => test.mutate({ endpointId: endpoint.id })}>
            Send test event
          </Button>
          <Button variant="secondary" busy={reveal.isPending} onClick={() => reveal.mutate({ endpointId: endpoint.id })}>
            Show secret
          </Button>
          <Button variant="secondary" busy={rotate.isPending} onClick={() => rotate.mutate({ endpointId: endpoint.id })}>
            Rotate secret
          </Button>
          <Button variant="secondary" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
            {open ? "Hide deliveries" : "Deliveries"}
          </Button>
          <Button variant="danger" busy={remove.isPending} onClick={() => window.confirm("Remove this endpoint and its delivery log?") && remove.mutate({ endpointId: endpoint.id })}>
            Remove
          </Button>
        </div>
        <div role="status">{secret && <SecretNotice secret={secret.value} title={secret.title} />}</div>
        {open && <DeliveryLog api={api} endpointId={endpoint.id} />}
      </div>
    </Card>
  );
}

function DeliveryLog({ api, endpointId }: { api: Api; endpointId: string }) {
  const queryClient = useQueryClient();
  const log = useQuery({ ...api.webhook.queryOptions({ endpointId }), refetchInterval: 5000 });
  const resend = useMutation(api.resendDelivery.mutationOptions({ onSuccess: () => void refreshQueries(queryClient, api.webhook.queryKey({ endpointId })) }));
  const error = formErrors(resend.error).form;
  if (log.isPending) return <p className="text-slate-700">Loading deliveries…</p>;
  const deliveries = log.data?.deliveries ?? [];
  return (
    <div className="relative overflow-x-auto">
      {error && <Alert>{error}</Alert>}
      <table className="w-full text-left text-sm">
        <caption className="py-2 text-left text-slate-700">Latest {deliveries.length} deliveries, newest first</caption>
        <thead>
          <tr className="border-b border-slate-200">
            {["When", "Event", "Status", "Attempts", "HTTP", "Latency", "Response", ""].map((h, i) => (
              <th key={i} scope="col" className="px-2 py-1 font-semibold text-slate-800">
                {h || <span className="sr-only">Actions</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {deliveries.map((d) => (
            <tr key={d.id} className="border-b border-slate-100 align-top">
              <td className="whitespace-nowrap px-2 py-1">{formatDate(d.createdAt)}</td>
              <td className="px-2 py-1">
                <code>{d.eventType}</code>
              </td>
              <td className="px-2 py-1">
                {d.status}
                {d.nextAttemptAt && d.status === "pending" && <span className="block text-slate-600">next try {formatDate(d.nextAttemptAt)}</span>}
              </td>
              <td className="px-2 py-1">{d.attempts}</td>
              <td className="px-2 py-1">{d.lastStatusCode ?? "–"}</td>
              <td className="px-2 py-1">{d.lastLatencyMs === null ? "–" : `${d.lastLatencyMs} ms`}</td>
              <td className="max-w-xs break-all px-2 py-1 text-slate-700">{d.lastError ?? d.lastResponseExcerpt ?? ""}</td>
              <td className="px-2 py-1">
                <Button variant="secondary" busy={resend.isPending && resend.variables?.deliveryId === d.id} disabled={d.status === "pending"} onClick={() => resend.mutate({ deliveryId: d.id })}>
                  Resend
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
