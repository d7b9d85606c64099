"use client";

import { TextField } from "@/app/_components/ui";
import type { CheckoutErrors } from "./use-checkout";

export type CardDraft = { number: string; expiry: string; cvc: string };
export const EMPTY_CARD: CardDraft = { number: "", expiry: "", cvc: "" };

const digits = (value: string, max: number) => value.replace(/\D/g, "").slice(0, max);

/** "1230", "12/30" or an autofilled "12/2030" all become "12/30". */
function formatExpiry(value: string): string {
  const full = /^(\d{2})\s*\/\s*\d{2}(\d{2})$/.exec(value.trim());
  const d = full ? `${full[1]}${full[2]}` : digits(value, 4);
  return d.length > 2 ? `${d.slice(0, 2)}/${d.slice(2)}` : d;
}

/** Card details for the demo processor; they go to the payment provider, never to our database. */
export function CardFields({ card, onChange, errors }: { card: CardDraft; onChange: (card: CardDraft) => void; errors: CheckoutErrors }) {
  return (
    <fieldset className="flex flex-col gap-3">
      <legend className="mb-2 text-base font-semibold text-slate-900">Card details</legend>
      <TextField
        label="Card number"
        name="cardNumber"
        autoComplete="cc-number"
        inputMode="numeric"
        value={card.number}
        error={errors.number}
        onChange={(e) => onChange({ ...card, number: digits(e.target.value, 19).replace(/(\d{4})(?=\d)/g, "$1 ") })}
      />
      <div className="grid grid-cols-2 gap-3">
        <TextField
          label="Expiry (MM/YY)"
          name="cardExpiry"
          autoComplete="cc-exp"
          inputMode="numeric"
          placeholder="MM/YY"
          value={card.expiry}
          error={errors.expiry}
          onChange={(e) => onChange({ ...card, expiry: formatExpiry(e.target.value) })}
        />
        <TextField
          label="Security code (CVC)"
          name="cardCvc"
          autoComplete="cc-csc"
          inputMode="numeric"
          value={card.cvc}
          error={errors.cvc}
          onChange={(e) => onChange({ ...card, cvc: digits(e.target.value, 4) })}
        />
      </div>
      <p className="rounded-lg border border-sky-300 bg-sky-50 px-3 py-2 text-sm text-sky-900">
        Demo payments: use <span className="font-mono font-semibold whitespace-nowrap">4242 4242 4242 4242</span> to pay
        or <span className="font-mono font-semibold whitespace-nowrap">4000 0000 0000 0002</span> to see a decline, with any
        future expiry date and any 3-digit code.
      </p>
    </fieldset>
  );
}
