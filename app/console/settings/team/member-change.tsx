"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Alert, Button, TextField } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { formErrors } from "@/app/_trpc/errors";
import { reasonField } from "@/server/schemas/team";
import { SelectField } from "@/app/_components/fields";
import { ROLE_OPTIONS } from "./invite-form";
import { refreshQueries } from "@/app/_trpc/refresh";

export type Member = { id: string; firstName: string; lastName: string; role: "staff" | "admin"; disabledAt: Date | null };
export type Change = "role" | "access";

/** Rule C4: a role or access change, with the reason that lands in the audit log. */
export function MemberChange({ member, change, onDone }: { member: Member; change: Change; onDone: (message: string | null) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const setRole = useMutation(trpc.team.setRole.mutationOptions());
  const setDisabled = useMutation(trpc.team.setDisabled.mutationOptions());
  const [role, setRoleValue] = useState<"staff" | "admin">(member.role === "admin" ? "staff" : "admin");
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | undefined>();
  const reasonRef = useRef<HTMLDivElement>(null);
  const pending = setRole.isPending || setDisabled.isPending;
  const server = formErrors(setRole.error ?? setDisabled.error);
  const name = `${member.firstName} ${member.lastName}`;
  const disabling = !member.disabledAt;

  // The panel opens with focus in its first field, so keyboard users land where they act.
  useEffect(() => reasonRef.current?.querySelector<HTMLElement>("input, select")?.focus(), []);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (pending) return;
    const parsed = reasonField.safeParse(reason);
    if (!parsed.success) return setReasonError(parsed.error.issues[0]?.message);
    setReasonError(undefined);
    try {
      if (change === "role") {
        await setRole.mutateAsync({ userId: member.id, role, reason: parsed.data });
        onDone(`${name} is now ${role === "admin" ? "an admin" : "staff"}. It applies on their next action.`);
      } else {
        await setDisabled.mutateAsync({ userId: member.id, disabled: disabling, reason: parsed.data });
        onDone(disabling ? `${name} is disabled and has lost access.` : `${name} can sign in again.`);
      }
      await refreshQueries(queryClient, trpc.team.list.queryKey());
    } catch {
      // The error shows from the mutation state.
    }
  }

  return (
    <form method="post" noValidate onSubmit={submit} className="mt-3 flex flex-col gap-3 rounded-lg border border-slate-200 bg-slate-50 p-3" aria-label={`Change ${name}`}>
      {server.form && <Alert>{server.form}</Alert>}
      <div ref={reasonRef} className="grid gap-3 sm:grid-cols-2">
        {change === "role" ? (
          <SelectField label="New role" name="role" value={role} options={ROLE_OPTIONS} error={server.fields.role} onChange={(e) => setRoleValue(e.target.value as "staff" | "admin")} />
        ) : (
          <p className="text-sm text-slate-800 sm:col-span-2">
            {disabling ? `${name} will be signed out of everything at once and can't sign in.` : `${name} will be able to sign in again.`}
          </p>
        )}
        <TextField label="Reason (for the audit log)" name="reason" value={reason} maxLength={500} error={reasonError ?? server.fields.reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" busy={pending} variant={change === "access" && disabling ? "danger" : "primary"}>
          {change === "role" ? "Change role" : disabling ? "Disable account" : "Enable account"}
        </Button>
        <Button type="button" variant="secondary" onClick={() => onDone(null)} disabled={pending}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
