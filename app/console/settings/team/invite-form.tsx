"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { z } from "zod";
import { formatDate } from "@/app/_components/format";
import { Alert, Button, Card, TextField } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { formErrors, type FieldErrors } from "@/app/_trpc/errors";
import { inviteInput } from "@/server/schemas/team";
import { SelectField } from "@/app/_components/fields";
import { refreshQueries } from "@/app/_trpc/refresh";

export const ROLE_OPTIONS = [
  ["staff", "Staff: works the console"],
  ["admin", "Admin: also settings and the team"],
] as const;

/** Rule C5: the admin creates a single-use link and sends it themself; it is shown only once. */
export function InviteForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const invite = useMutation(trpc.team.invite.mutationOptions());
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<"staff" | "admin">("staff");
  const [clientErrors, setClientErrors] = useState<FieldErrors | null>(null);
  const [created, setCreated] = useState<{ link: string; email: string; expiresAt: Date } | null>(null);
  const [copied, setCopied] = useState(false);
  const linkRef = useRef<HTMLInputElement>(null);
  const server = formErrors(invite.error);
  const fields = clientErrors ?? server.fields;

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (invite.isPending) return;
    const parsed = inviteInput.safeParse({ email, role });
    if (!parsed.success) {
      setClientErrors(Object.fromEntries(Object.entries(z.flattenError(parsed.error).fieldErrors).map(([k, v]) => [k, v?.[0]])));
      return;
    }
    setClientErrors(null);
    setCopied(false);
    invite.mutate(parsed.data, {
      onSuccess(result) {
        setCreated({ link: `${window.location.origin}${result.path}`, email: parsed.data.email, expiresAt: result.expiresAt });
        setEmail("");
        requestAnimationFrame(() => linkRef.current?.select());
        void refreshQueries(queryClient, trpc.team.list.queryKey());
      },
    });
  }

  async function copy() {
    if (!created) return;
    await navigator.clipboard.writeText(created.link).then(
      () => setCopied(true),
      () => linkRef.current?.select(),
    );
  }

  return (
    <Card title="Invite someone">
      <form method="post" noValidate onSubmit={submit} className="flex flex-col gap-4">
        {server.form && <Alert>{server.form}</Alert>}
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField label="Email" name="email" type="email" autoComplete="off" spellCheck={false} value={email} error={fields.email} onChange={(e) => setEmail(e.target.value)} />
          <SelectField label="Role" name="role" value={role} options={ROLE_OPTIONS} error={fields.role} onChange={(e) => setRole(e.target.value as "staff" | "admin")} />
        </div>
        <Button type="submit" busy={invite.isPending} className="self-start">
          {invite.isPending ? "Creating link…" : "Create invitation link"}
        </Button>
      </form>
      <div role="status" className="mt-4">
        {created && (
          <div className="flex flex-col gap-2 rounded-lg border border-emerald-300 bg-emerald-50 p-4 text-sm text-emerald-900">
            <p className="font-semibold">Invitation link for {created.email}</p>
            <p>Send it to them yourself. It works once, until {formatDate(created.expiresAt)}, and is shown only now.</p>
            <div className="flex flex-wrap gap-2">
              <label className="sr-only" htmlFor="invitation-link">
                Invitation link
              </label>
              <input id="invitation-link" ref={linkRef} readOnly value={created.link} className="min-h-11 min-w-0 flex-1 rounded-lg border border-emerald-300 bg-white px-3 font-mono text-xs text-slate-900" />
              <Button type="button" variant="secondary" onClick={copy}>
                {copied ? "Copied" : "Copy link"}
              </Button>
            </div>
          </div>
        )}
      </div>
    </Card>
  );
}
