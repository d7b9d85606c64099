"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert, Button, TextField } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { formErrors } from "@/app/_trpc/errors";

export function ApproveRun({ month }: { month: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const approve = useMutation(trpc.platformB2b.approveRun.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <>
      <Button busy={approve.isPending} onClick={() => approve.mutate({ month })}>Approve run</Button>
      {approve.error && <Alert>{formErrors(approve.error).form}</Alert>}
    </>
  );
}

/** Rule B6: an item is paid once, with the reference of the transfer or credit note. */
export function MarkPaid({ itemId, name }: { itemId: string; name: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [reference, setReference] = useState("");
  const [error, setError] = useState<string | null>(null);
  const paid = useMutation(
    trpc.platformB2b.markPaid.mutationOptions({
      onSuccess: () => router.refresh(),
      onError: (e) => setError(Object.values(formErrors(e).fields).find(Boolean) ?? formErrors(e).form),
    }),
  );
  return (
    <form method="post" className="flex flex-wrap items-end gap-2" onSubmit={(e) => { e.preventDefault(); paid.mutate({ itemId, reference }); }}>
      <TextField label={`Payment reference for ${name}`} name="reference" value={reference} error={error ?? undefined} onChange={(e) => setReference(e.target.value)} />
      <Button type="submit" variant="secondary" busy={paid.isPending}>Mark paid</Button>
    </form>
  );
}
