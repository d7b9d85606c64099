"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Button, TextField } from "@/app/_components/ui";
import { formErrors, type FieldErrors } from "@/app/_trpc/errors";
import { useTRPC } from "@/app/_trpc/client";
import { newIdempotencyKey } from "@/app/_components/idempotency-key";
import { adjustInput } from "@/server/schemas/controls";
import { formatCents, parseDollars } from "@/server/schemas/money";

type Unit = "credit" | "points";

/** "+12.50", "-5" or "200": a signed amount in the unit's smallest step (cents or points); NaN when unreadable. */
export function signedAmount(unit: Unit, text: string): number {
  const match = /^\s*([+-−]?)\s*(.*)$/.exec(text);
  const sign = match?.[1] === "-" || match?.[1] === "−" ? -1 : 1;
  const body = match?.[2] ?? "";
  if (unit === "credit") {
    const cents = parseDollars(body);
    return cents === null ? Number.NaN : sign * cents;
  }
  return /^\d+$/.test(body.trim()) ? sign * Number(body) : Number.NaN;
}

/** Rule C4: add or remove credit or points, with a reason for the audit log. */
export function AdjustBalanceForm({ patientId, onDone }: { patientId: string; onDone: (message: string) => void }) {
  const trpc = useTRPC();
  const [unit, setUnit] = useState<Unit>("credit");
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  // Made once per filled-in form: a double click or a retry after a lost answer adjusts once.
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const [clientErrors, setClientErrors] = useState<FieldErrors | null>(null);
  const adjust = useMutation(trpc.review.adjust.mutationOptions());
  const server = formErrors(adjust.error);
  const fields = clientErrors ?? server.fields;

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (adjust.isPending) return;
    const value = signedAmount(unit, amount);
    const parsed = adjustInput.safeParse({ patientId, unit, amount: value, reason, idempotencyKey });
    if (!parsed.success) {
      const errors: FieldErrors = {};
      for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
      if (Number.isNaN(value)) errors.amount = unit === "credit" ? "Enter dollars, like 10 or -12.50." : "Enter whole points, like 200 or -50.";
      setClientErrors(errors);
      return;
    }
    setClientErrors(null);
    adjust.mutate(parsed.data, {
      onSuccess: ({ applied }) => {
        const shown = unit === "credit" ? formatCents(Math.abs(applied)) : `${Math.abs(applied)} points`;
        onDone(applied > 0 ? `Added ${shown}.` : `Removed ${shown}.`);
        setAmount("");
        setReason("");
        setIdempotencyKey(newIdempotencyKey());
      },
    });
  }

  return (
    // Rule N3: sent without its script, a POST keeps amount and reason out of the URL and adjusts nothing.
    <form method="post" onSubmit={submit} noValidate className="flex flex-col gap-3" aria-labelledby="adjust-heading">
      <h3 id="adjust-heading" className="font-semibold text-slate-900">
        Adjust credit or points
      </h3>
      <fieldset className="flex gap-4">
        <legend className="sr-only">What to adjust</legend>
        {(["credit", "points"] as const).map((u) => (
          <label key={u} className="flex min-h-11 items-center gap-2 text-sm text-slate-900">
            <input type="radio" name="adjust-unit" className="size-5 accent-brand-600" checked={unit === u} onChange={() => setUnit(u)} />
            {u === "credit" ? "Credit" : "Points"}
          </label>
        ))}
      </fieldset>
      <TextField
        label={unit === "credit" ? "Amount ($)" : "Points"}
        hint="A minus sign removes, for example -10. A balance never goes below zero."
        name="amount"
        inputMode="text"
        autoComplete="off"
        value={amount}
        onChange={(event) => setAmount(event.target.value)}
        error={fields.amount}
      />
      <TextField label="Reason" name="reason" autoComplete="off" maxLength={500} value={reason} onChange={(event) => setReason(event.target.value)} error={fields.reason} />
      {!clientErrors && server.form && <p role="alert" className="text-sm font-medium text-red-700">{server.form}</p>}
      <Button type="submit" variant="secondary" busy={adjust.isPending} className="self-start">
        {adjust.isPending ? "Saving…" : "Adjust balance"}
      </Button>
    </form>
  );
}
