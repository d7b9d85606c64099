"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert, Button, TextField } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { formErrors } from "@/app/_trpc/errors";

export function RunPayoutsForm({ defaultMonth }: { defaultMonth: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [month, setMonth] = useState(defaultMonth);
  const [error, setError] = useState<string | null>(null);
  const run = useMutation(
    trpc.platformB2b.runPayouts.mutationOptions({
      onSuccess: () => router.push(`/platform/payouts/${month}`),
      onError: (e) => setError(Object.values(formErrors(e).fields).find(Boolean) ?? formErrors(e).form),
    }),
  );
  return (
    <form method="post" className="flex flex-wrap items-end gap-3" onSubmit={(e) => { e.preventDefault(); run.mutate({ month }); }}>
      <TextField label="Month (YYYY-MM)" name="month" value={month} error={error ?? undefined} onChange={(e) => setMonth(e.target.value)} />
      <Button type="submit" busy={run.isPending}>Run payouts</Button>
      {run.isSuccess && <Alert tone="success">Run updated.</Alert>}
    </form>
  );
}
