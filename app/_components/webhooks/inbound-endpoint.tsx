"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { formatDate } from "@/app/_components/format";
import { Alert, Button, StatusBadge, TextField } from "@/app/_components/ui";
import type { useTRPC } from "@/app/_trpc/client";
import { formErrors } from "@/app/_trpc/errors";
import type { RouterOutputs } from "@/server/root";
import { refreshQueries } from "@/app/_trpc/refresh";

type Api = ReturnType<typeof useTRPC>["integrations"];
type Endpoint = RouterOutputs["integrations"]["inboundEndpoints"][number];

const PROVIDER_NAMES = { stripe: "Stripe", calendly: "Calendly", typeform: "Typeform" } as const;

/**
 * Issue 19: one receiving address with its switches. Pause (answers 404, stores nothing), rotate
 * the signing secret (pasted from the provider or made here; the old one verifies 24 more hours)
 * and delete, after a confirmation that takes the focus.
 */
export function InboundEndpointItem({ api, endpoint }: { api: Api; endpoint: Endpoint }) {
  const queryClient = useQueryClient();
  const labelId = useId();
  const refresh = () => void refreshQueries(queryClient, api.inboundEndpoints.queryKey());
  const pause = useMutation(api.pauseInbound.mutationOptions({ onSuccess: refresh }));
  const rotate = useMutation(api.rotateInboundSecret.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(api.deleteInbound.mutationOptions({ onSuccess: refresh }));
  const [panel, setPanel] = useState<"rotate" | "delete" | null>(null);
  const [pasted, setPasted] = useState("");
  const [rotated, setRotated] = useState<{ signingSecret: string; previousExpiresAt: Date } | null>(null);
  const confirmRef = useRef<HTMLDivElement>(null);
  const rotateErrors = formErrors(rotate.error);
  const error = formErrors(pause.error).form ?? formErrors(remove.error).form;
  const paused = endpoint.pausedAt !== null;
  const name = PROVIDER_NAMES[endpoint.provider];

  useEffect(() => {
    if (panel === "delete") confirmRef.current?.querySelector("button")?.focus();
  }, [panel]);

  function submitRotation(event: React.FormEvent) {
    event.preventDefault();
    setRotated(null);
    rotate.mutate(
      { endpointId: endpoint.id, signingSecret: pasted.trim() || undefined },
      {
        onSuccess(result) {
          setRotated(result);
          setPasted("");
          setPanel(null);
        },
      },
    );
  }

  return (
    <li className="flex flex-col gap-2 rounded-lg border border-slate-200 p-3">
      <div id={labelId} className="flex flex-wrap items-center gap-2 break-all">
        <span className="font-semibold">{name}</span>
        <StatusBadge tone={paused ? "warn" : "good"}>{paused ? "paused" : "receiving"}</StatusBadge>
        <code>{endpoint.url}</code>
      </div>
      {paused && endpoint.pausedAt && <p className="text-slate-700">Paused since {formatDate(endpoint.pausedAt)}: deliveries are answered 404 and nothing is stored.</p>}
      {endpoint.badSignatures > 0 && (
        <p className="text-red-800">
          {endpoint.badSignatures} refused signature(s), last {endpoint.lastBadSignatureAt ? formatDate(endpoint.lastBadSignatureAt) : ""}
        </p>
      )}
      {endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > new Date() && <p className="text-slate-700">The previous signing secret also verifies until {formatDate(endpoint.previousSecretExpiresAt)}.</p>}
      {error && <Alert>{error}</Alert>}
      <div className="flex flex-wrap gap-2" role="group" aria-labelledby={labelId}>
        <Button variant="secondary" aria-describedby={labelId} busy={pause.isPending} onClick={() => pause.mutate({ endpointId: endpoint.id, paused: !paused })}>
          {paused ? "Resume" : "Pause"}
        </Button>
        <Button variant="secondary" aria-describedby={labelId} aria-expanded={panel === "rotate"} onClick={() => setPanel(panel === "rotate" ? null : "rotate")}>
          Rotate secret
        </Button>
        <Button variant="danger" aria-describedby={labelId} aria-expanded={panel === "delete"} onClick={() => setPanel(panel === "delete" ? null : "delete")}>
          Delete
        </Button>
      </div>
      {panel === "rotate" && (
        <form method="post" noValidate onSubmit={submitRotation} className="flex flex-col gap-3 rounded-lg bg-slate-50 p-3">
          {rotateErrors.form && <Alert>{rotateErrors.form}</Alert>}
          <TextField
            label="New signing secret (optional)"
            name="signingSecret"
            autoComplete="off"
            spellCheck={false}
            value={pasted}
            error={rotateErrors.fields.signingSecret}
            hint={`Paste the new secret ${name} shows after you roll it there, or leave it empty and we make one for you to paste there. The old secret keeps working for 24 hours.`}
            onChange={(e) => setPasted(e.target.value)}
          />
          <div className="flex flex-wrap gap-2">
            <Button type="submit" busy={rotate.isPending}>
              Use the new secret
            </Button>
            <Button type="button" variant="secondary" onClick={() => setPanel(null)}>
              Cancel
            </Button>
          </div>
        </form>
      )}
      {panel === "delete" && (
        <div ref={confirmRef} role="alertdialog" aria-labelledby={`${labelId}-confirm`} className="flex flex-col gap-3 rounded-lg border border-red-300 bg-red-50 p-3 text-red-900">
          <p id={`${labelId}-confirm`}>Delete this {name} receiving address? From now on its deliveries are answered 404 and nothing is stored. This cannot be undone; you would create a new address instead.</p>
          <div className="flex flex-wrap gap-2">
            <Button variant="danger" busy={remove.isPending} onClick={() => remove.mutate({ endpointId: endpoint.id })}>
              Yes, delete it
            </Button>
            <Button variant="secondary" onClick={() => setPanel(null)}>
              Keep it
            </Button>
          </div>
        </div>
      )}
      <div role="status">
        {rotated && (
          <div className="flex flex-col gap-2 rounded-lg border border-emerald-300 bg-emerald-50 p-4 text-emerald-900">
            <p className="font-semibold">New signing secret, shown this once. Paste it into {name}&apos;s webhook settings:</p>
            <code className="break-all rounded bg-white px-2 py-1 text-slate-900">{rotated.signingSecret}</code>
            <p>The old secret also verifies until {formatDate(rotated.previousExpiresAt)}.</p>
          </div>
        )}
      </div>
    </li>
  );
}
