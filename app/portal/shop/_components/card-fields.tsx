"use client";

import { TextField } from "@/app/_components/ui";
import { digits, formatExpiry, type CheckoutErrors } from "./checkout-form";

/** Reformats what was typed in place: the inputs stay uncontrolled, so typing before hydration is kept. */
const reformat = (format: (value: string) => string) => (e: React.ChangeEvent<HTMLInputElement>) => {
  const formatted = format(e.currentTarget.value);
  if (formatted !== e.currentTarget.value) e.currentTarget.value = formatted;
};

/** Card details for the demo processor; they go to the payment provider, never to our database. */
export function CardFields({ errors, expiry }: { errors: CheckoutErrors; expiry?: string }) {
  return (
    <fieldset className="flex flex-col gap-3">
      <legend className="mb-2 text-base font-semibold text-slate-900">Card details</legend>
      <TextField
        label="Card number"
        name="cardNumber"
        autoComplete="cc-number"
        inputMode="numeric"
        error={errors.number}
        onChange={reformat((v) => digits(v, 19).replace(/(\d{4})(?=\d)/g, "$1 "))}
      />
      <div className="grid grid-cols-2 gap-3">
        <TextField
          label="Expiry (MM/YY)"
          name="cardExpiry"
          autoComplete="cc-exp"
          inputMode="numeric"
          placeholder="MM/YY"
          defaultValue={expiry}
          error={errors.expiry}
          onChange={reformat(formatExpiry)}
        />
        <TextField label="Security code (CVC)" name="cardCvc" autoComplete="cc-csc" inputMode="numeric" error={errors.cvc} onChange={reformat((v) => digits(v, 4))} />
      </div>
      <p className="rounded-lg border border-sky-300 bg-sky-50 px-3 py-2 text-sm text-sky-900">
        Demo payments: use <span className="font-mono font-semibold whitespace-nowrap">4242 4242 4242 4242</span> to pay
        or <span className="font-mono font-semibold whitespace-nowrap">4000 0000 0000 0002</span> to see a decline, with any
        future expiry date and any 3-digit code.
      </p>
    </fieldset>
  );
}
