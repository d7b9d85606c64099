"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { Alert, Button, Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { formErrors } from "@/app/_trpc/errors";

type Details = { name: string; organization: string; phone: string };

/** Item 8 of issue 7: the reader of an emailed link confirms the address; a press, since mail scanners open links. */
export function ConfirmAddress({ token, details }: { token: string; details: Details }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [refreshing, startRefresh] = useTransition();
  const confirm = useMutation(trpc.partner.confirmAddress.mutationOptions({ onSuccess: () => startRefresh(() => router.refresh()) }));
  const error = formErrors(confirm.error).form;
  return (
    <Card title="Confirm your email address" className="mt-6">
      <p className="text-slate-800">Confirm that this is your address to receive what your referrals earn. Payouts and statements will be made out to:</p>
      <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-600">Name</dt>
        <dd>{details.name}</dd>
        <dt className="text-slate-600">Organization</dt>
        <dd>{details.organization}</dd>
        <dt className="text-slate-600">Phone</dt>
        <dd>{details.phone}</dd>
      </dl>
      <p className="mt-3 text-sm text-slate-600">If these aren&apos;t yours, or you didn&apos;t refer a practice, don&apos;t confirm: nothing happens.</p>
      {error && <Alert>{error}</Alert>}
      <Button className="mt-3" busy={confirm.isPending || refreshing} onClick={() => confirm.mutate({ token })}>
        Confirm my address
      </Button>
    </Card>
  );
}
