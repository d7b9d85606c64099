"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Alert, Button, TextField } from "@/app/_components/ui";
import { formErrors } from "@/app/_trpc/errors";
import { useTRPC } from "@/app/_trpc/client";
import { formatCents, parseDollars } from "@/server/schemas/money";

type Conversion = { enabled: boolean; points: number; creditCents: number; minimumPoints: number };

const whole = (text: string) => (/^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN);

/** Rules P8, C4: the admin sets how points convert; every change lands in the audit log. */
export function PointsConversionForm({ initial }: { initial: Conversion }) {
  const trpc = useTRPC();
  const [enabled, setEnabled] = useState(initial.enabled);
  const [points, setPoints] = useState(String(initial.points));
  const [credit, setCredit] = useState(formatCents(initial.creditCents).replace("$", ""));
  const [minimum, setMinimum] = useState(String(initial.minimumPoints));
  const [saved, setSaved] = useState<string | null>(null);
  const save = useMutation(trpc.clinic.setPointConversion.mutationOptions());
  const server = formErrors(save.error);
  const creditCents = parseDollars(credit);

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (save.isPending) return;
    setSaved(null);
    save.mutate(
      { enabled, points: whole(points), creditCents: creditCents ?? Number.NaN, minimumPoints: whole(minimum) },
      {
        onSuccess: (result) =>
          setSaved(
            result.enabled
              ? `Saved. Patients can now convert ${result.points.toLocaleString("en-US")} points into ${formatCents(result.creditCents)} credit.`
              : "Saved. Patients cannot convert points.",
          ),
      },
    );
  }

  return (
    <form method="post" onSubmit={submit} noValidate className="flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      <label className="flex min-h-11 items-center gap-3 text-sm font-medium text-slate-900">
        <input type="checkbox" className="size-5 accent-brand-600" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        Patients may turn points into credit
      </label>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Points per block" name="points" inputMode="numeric" value={points} onChange={(e) => setPoints(e.target.value)} error={server.fields.points} />
        <TextField
          label="Credit per block (dollars)"
          name="creditCents"
          inputMode="decimal"
          value={credit}
          onChange={(e) => setCredit(e.target.value)}
          error={server.fields.creditCents ?? (credit && creditCents === null ? "Enter dollars, like 5 or 2.50." : undefined)}
        />
      </div>
      <TextField
        label="Minimum points to convert"
        name="minimumPoints"
        inputMode="numeric"
        value={minimum}
        onChange={(e) => setMinimum(e.target.value)}
        hint="At least one block. Patients convert whole blocks from this amount up."
        error={server.fields.minimumPoints}
      />
      {server.form && <Alert>{server.form}</Alert>}
      {saved && <Alert tone="success">{saved}</Alert>}
      <div>
        <Button type="submit" busy={save.isPending}>
          Save
        </Button>
      </div>
    </form>
  );
}
