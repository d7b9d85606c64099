"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { z } from "zod";
import { SelectField } from "@/app/_components/fields";
import { formatDate } from "@/app/_components/format";
import { Alert, Button, Card, StatusBadge, TextField } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { formErrors, type FieldErrors } from "@/app/_trpc/errors";
import type { RouterOutputs } from "@/server/root";
import { createApiKeyInput } from "@/server/schemas/api";
import { refreshQueries } from "@/app/_trpc/refresh";

type Key = RouterOutputs["integrations"]["apiKeys"][number];
const SCOPE_OPTIONS = [
  ["read", "Read: look things up and quote credit"],
  ["write", "Write: also create patients, orders and redemptions"],
] as const;

/**
 * API keys for the REST API: create (the key is shown once, only its hash is kept) and revoke.
 * `owner` picks the clinic's keys (clinic admins) or the platform's (platform admins).
 */
export function ApiKeysWorkspace({ owner, initial }: { owner: "clinic" | "platform"; initial: Key[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = owner === "clinic" ? trpc.integrations.apiKeys : trpc.integrations.platformApiKeys;
  const keys = useQuery({ ...list.queryOptions(), initialData: initial });
  const create = useMutation((owner === "clinic" ? trpc.integrations.createApiKey : trpc.integrations.createPlatformApiKey).mutationOptions());
  const revoke = useMutation((owner === "clinic" ? trpc.integrations.revokeApiKey : trpc.integrations.revokePlatformApiKey).mutationOptions());
  const [name, setName] = useState("");
  const [scope, setScope] = useState<"read" | "write">("read");
  const [clientErrors, setClientErrors] = useState<FieldErrors | null>(null);
  const [created, setCreated] = useState<{ key: string; name: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const keyRef = useRef<HTMLInputElement>(null);
  const server = formErrors(create.error);
  const fields = clientErrors ?? server.fields;
  const refresh = () => refreshQueries(queryClient, list.queryKey());

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (create.isPending) return;
    const parsed = createApiKeyInput.safeParse({ name, scope });
    if (!parsed.success) {
      setClientErrors(Object.fromEntries(Object.entries(z.flattenError(parsed.error).fieldErrors).map(([k, v]) => [k, v?.[0]])));
      return;
    }
    setClientErrors(null);
    create.mutate(parsed.data, {
      onSuccess(result) {
        setCreated({ key: result.key, name: result.apiKey.name });
        setName("");
        requestAnimationFrame(() => keyRef.current?.select());
        void refresh();
      },
    });
  }

  function revokeKey(key: Key) {
    if (revoke.isPending) return;
    revoke.mutate(
      { keyId: key.id },
      {
        onSuccess() {
          setCreated(null);
          setNotice(`The key "${key.name}" was revoked; calls with it are refused from now on.`);
          void refresh();
        },
      },
    );
  }

  return (
    <div className="flex flex-col gap-6">
      <Card title="Create an API key">
        <form method="post" noValidate onSubmit={submit} className="flex flex-col gap-4">
          {server.form && <Alert>{server.form}</Alert>}
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField label="Name" name="name" hint="The system that will use it, e.g. Front desk POS." autoComplete="off" value={name} error={fields.name} onChange={(e) => setName(e.target.value)} />
            <SelectField label="Scope" name="scope" value={scope} options={SCOPE_OPTIONS} error={fields.scope} onChange={(e) => setScope(e.target.value as "read" | "write")} />
          </div>
          <Button type="submit" busy={create.isPending} className="self-start">
            {create.isPending ? "Creating key…" : "Create key"}
          </Button>
        </form>
        <div role="status" className="mt-4">
          {created && (
            <div className="flex flex-col gap-2 rounded-lg border border-emerald-300 bg-emerald-50 p-4 text-sm text-emerald-900">
              <p className="font-semibold">The key for {created.name}</p>
              <p>Copy it into that system now: it is shown only this once, and we keep only a hash of it.</p>
              <label className="sr-only" htmlFor="new-api-key">
                New API key
              </label>
              <input id="new-api-key" ref={keyRef} readOnly value={created.key} className="min-h-11 min-w-0 rounded-lg border border-emerald-300 bg-white px-3 font-mono text-xs text-slate-900" />
            </div>
          )}
        </div>
      </Card>
      <div role="status" aria-live="polite">
        {notice && <Alert tone="success">{notice}</Alert>}
      </div>
      {revoke.error && <Alert>{revoke.error.message}</Alert>}
      <Card title="Keys">
        {keys.data.length === 0 ? (
          <p className="text-sm text-slate-700">No keys yet.</p>
        ) : (
          <ul className="divide-y divide-slate-200">
            {keys.data.map((key) => (
              <li key={key.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
                <div>
                  <p className="font-medium text-slate-900">{key.name}</p>
                  <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
                    <code className="font-mono">{key.prefix}_…</code>
                    <StatusBadge tone="neutral">{key.scope === "write" ? "Write" : "Read"}</StatusBadge>
                    {key.revokedAt ? <StatusBadge tone="bad">Revoked {formatDate(key.revokedAt)}</StatusBadge> : null}
                    <span>created {formatDate(key.createdAt)}</span>
                    <span>· {key.lastUsedAt ? `last used ${formatDate(key.lastUsedAt)}` : "never used"}</span>
                  </p>
                </div>
                {!key.revokedAt && (
                  <Button type="button" variant="secondary" busy={revoke.isPending && revoke.variables?.keyId === key.id} onClick={() => revokeKey(key)}>
                    Revoke<span className="sr-only"> the key {key.name}</span>
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
