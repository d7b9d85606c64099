"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { formatDate } from "@/app/_components/format";
import { Alert, Button, Card, StatusBadge } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import type { RouterOutputs } from "@/server/root";
import { InviteForm } from "./invite-form";
import { MemberChange, type Change } from "./member-change";
import { refreshQueries } from "@/app/_trpc/refresh";

type Team = RouterOutputs["team"]["list"];

/** Rule C5: invite, list, change roles and access; the server refuses what would lock the clinic out. */
export function TeamWorkspace({ initial, selfId }: { initial: Team; selfId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const team = useQuery({ ...trpc.team.list.queryOptions(), initialData: initial });
  const revoke = useMutation(trpc.team.revokeInvitation.mutationOptions());
  const [open, setOpen] = useState<{ id: string; change: Change } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { members, invitations } = team.data;

  function done(message: string | null) {
    setOpen(null);
    if (message) setNotice(message);
  }

  function revokeInvitation(id: string, email: string) {
    if (revoke.isPending) return;
    revoke.mutate(
      { invitationId: id },
      {
        onSuccess() {
          setNotice(`The invitation for ${email} was withdrawn; its link no longer works.`);
          void refreshQueries(queryClient, trpc.team.list.queryKey());
        },
      },
    );
  }

  return (
    <div className="flex flex-col gap-6">
      <InviteForm />
      <div role="status" aria-live="polite">
        {notice && <Alert tone="success">{notice}</Alert>}
      </div>
      {revoke.error && <Alert>{revoke.error.message}</Alert>}

      <Card title="Pending invitations">
        {invitations.length === 0 ? (
          <p className="text-sm text-slate-700">No open invitations.</p>
        ) : (
          <ul className="divide-y divide-slate-200">
            {invitations.map((i) => (
              <li key={i.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
                <div>
                  <p className="font-medium text-slate-900">{i.email}</p>
                  <p className="text-sm text-slate-700">
                    {i.role === "admin" ? "Admin" : "Staff"} · invited by {i.invitedBy.firstName} {i.invitedBy.lastName} ·{" "}
                    {i.expired ? <StatusBadge tone="warn">Expired {formatDate(i.expiresAt)}</StatusBadge> : `link valid until ${formatDate(i.expiresAt)}`}
                  </p>
                </div>
                <Button type="button" variant="secondary" busy={revoke.isPending && revoke.variables?.invitationId === i.id} onClick={() => revokeInvitation(i.id, i.email)}>
                  Withdraw<span className="sr-only"> invitation for {i.email}</span>
                </Button>
              </li>
            ))}
          </ul>
        )}
      </Card>

      <Card title="Members">
        <ul className="divide-y divide-slate-200">
          {members.map((m) => {
            const self = m.id === selfId;
            const name = `${m.firstName} ${m.lastName}`;
            return (
              <li key={m.id} className="py-3">
                <div className="flex flex-wrap items-center justify-between gap-3">
                  <div>
                    <p className="font-medium text-slate-900">
                      {name} {self && <span className="text-sm font-normal text-slate-600">(you)</span>}
                    </p>
                    <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
                      {m.email}
                      <StatusBadge tone="neutral">{m.role === "admin" ? "Admin" : "Staff"}</StatusBadge>
                      {m.disabledAt && <StatusBadge tone="bad">Disabled</StatusBadge>}
                    </p>
                  </div>
                  {self ? (
                    <p className="text-sm text-slate-600">Another admin can change your role or access.</p>
                  ) : (
                    <div className="flex flex-wrap gap-2">
                      <Button type="button" variant="secondary" onClick={() => setOpen({ id: m.id, change: "role" })}>
                        Change role<span className="sr-only"> of {name}</span>
                      </Button>
                      <Button type="button" variant="secondary" onClick={() => setOpen({ id: m.id, change: "access" })}>
                        {m.disabledAt ? "Enable" : "Disable"}
                        <span className="sr-only"> {name}</span>
                      </Button>
                    </div>
                  )}
                </div>
                {open?.id === m.id && <MemberChange key={open.change} member={m} change={open.change} onDone={done} />}
              </li>
            );
          })}
        </ul>
      </Card>
    </div>
  );
}
