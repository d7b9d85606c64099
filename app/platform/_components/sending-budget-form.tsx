"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert, Button, TextField } from "@/app/_components/ui";
import { formErrors } from "@/app/_trpc/errors";
import { useTRPC } from "@/app/_trpc/client";

/** Issue 19: the daily sending budget of a clinic that signed itself up (its first 30 days); audited. */
export function SendingBudgetForm({ clinicId, name, perDay }: { clinicId: string; name: string; perDay: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [value, setValue] = useState(String(perDay));
  const [saved, setSaved] = useState<string | null>(null);
  const save = useMutation(trpc.platform.setSendingBudget.mutationOptions());
  const server = formErrors(save.error);

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (save.isPending) return;
    setSaved(null);
    const number = value.trim() === "" ? Number.NaN : Number(value);
    save.mutate(
      { clinicId, perDay: number },
      {
        onSuccess: (r) => {
          setSaved(`${name} may now send ${r.perDay.toLocaleString("en-US")} messages a day.`);
          router.refresh();
        },
      },
    );
  }

  return (
    <form method="post" onSubmit={submit} noValidate aria-label={`Sending budget of ${name}`} className="flex min-w-[14rem] flex-col gap-2">
      <div className="flex items-end gap-2">
        <TextField label="Messages a day" inputMode="numeric" autoComplete="off" name="perDay" value={value} onChange={(e) => setValue(e.target.value)} error={server.fields.perDay} className="w-32" />
        <Button type="submit" variant="secondary" busy={save.isPending} aria-label={`Save ${name}'s sending budget`}>
          Save
        </Button>
      </div>
      {server.form && <Alert>{server.form}</Alert>}
      {saved && <Alert tone="success">{saved}</Alert>}
    </form>
  );
}
