"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Alert, Button, TextField } from "@/app/_components/ui";
import { formErrors } from "@/app/_trpc/errors";
import { useTRPC } from "@/app/_trpc/client";
import type { RouterOutputs } from "@/server/root";
import { formatCents, parseDollars } from "@/server/schemas/money";

type Program = RouterOutputs["platformB2b"]["program"];

const whole = (text: string) => (/^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN);
/** "12.5" percent to basis points; NaN when unreadable. */
const basisPoints = (text: string) => (/^\s*\d{1,3}(\.\d{1,2})?\s*$/.test(text) ? Math.round(Number(text) * 100) : Number.NaN);

const radio = "size-5 accent-brand-600";
const option = "flex min-h-11 items-center gap-3 text-sm text-slate-900";

/** Rules B3, B4: the partner program's plan, amounts, audience and terms version; audited. */
export function PartnerProgramForm({ initial }: { initial: Program }) {
  const trpc = useTRPC();
  const [plan, setPlan] = useState(initial.rewardPlan);
  const [flat, setFlat] = useState(formatCents(initial.flatCreditCents).replace("$", "").replaceAll(",", ""));
  const [share, setShare] = useState(String(initial.shareBasisPoints / 100));
  const [months, setMonths] = useState(String(initial.shareMonths));
  const [audience, setAudience] = useState(initial.audience);
  const [terms, setTerms] = useState(initial.termsVersion);
  const [saved, setSaved] = useState(false);
  const update = useMutation(trpc.platformB2b.updateProgram.mutationOptions());
  const server = formErrors(update.error);
  const flatCents = parseDollars(flat);

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (update.isPending) return;
    setSaved(false);
    update.mutate(
      { rewardPlan: plan, flatCreditCents: flatCents ?? Number.NaN, shareBasisPoints: basisPoints(share), shareMonths: whole(months), audience, termsVersion: terms },
      { onSuccess: () => setSaved(true) },
    );
  }

  return (
    <form method="post" onSubmit={submit} noValidate className="flex flex-col gap-5 rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      <fieldset className="flex flex-col gap-1">
        <legend className="mb-1 text-sm font-semibold text-slate-900">Reward plan</legend>
        <label className={option}>
          <input type="radio" name="plan" className={radio} checked={plan === "flat_credit"} onChange={() => setPlan("flat_credit")} />
          A flat credit when the referred practice becomes a customer
        </label>
        <label className={option}>
          <input type="radio" name="plan" className={radio} checked={plan === "recurring_share"} onChange={() => setPlan("recurring_share")} />
          A share of each payment the referred practice makes, for a number of months
        </label>
      </fieldset>
      {plan === "flat_credit" ? (
        <TextField label="Flat credit (dollars)" name="flatCreditCents" inputMode="decimal" value={flat} onChange={(e) => setFlat(e.target.value)} error={server.fields.flatCreditCents} />
      ) : (
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField label="Share of each payment (%)" name="shareBasisPoints" inputMode="decimal" value={share} onChange={(e) => setShare(e.target.value)} hint="Rounded half up to the cent." error={server.fields.shareBasisPoints} />
          <TextField label="For how many months" name="shareMonths" inputMode="numeric" value={months} onChange={(e) => setMonths(e.target.value)} error={server.fields.shareMonths} />
        </div>
      )}
      <fieldset className="flex flex-col gap-1">
        <legend className="mb-1 text-sm font-semibold text-slate-900">Who may refer</legend>
        <label className={option}>
          <input type="radio" name="audience" className={radio} checked={audience === "anyone"} onChange={() => setAudience("anyone")} />
          Anyone
        </label>
        <label className={option}>
          <input type="radio" name="audience" className={radio} checked={audience === "customers_only"} onChange={() => setAudience("customers_only")} />
          Only our customers
        </label>
      </fieldset>
      <TextField label="Terms version" name="termsVersion" value={terms} onChange={(e) => setTerms(e.target.value)} hint="Give new terms a new label; earlier submissions keep theirs." error={server.fields.termsVersion} />
      {server.form && <Alert>{server.form}</Alert>}
      {saved && <Alert tone="success">Saved. New submissions get these terms.</Alert>}
      <div>
        <Button type="submit" busy={update.isPending}>
          Save
        </Button>
      </div>
    </form>
  );
}
