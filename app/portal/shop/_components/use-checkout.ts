"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { useRef, useState } from "react";
import { formErrors } from "@/app/_trpc/errors";
import { useTRPC } from "@/app/_trpc/client";
import type { RouterOutputs } from "@/server/root";
import { checkoutInput, type CardInput } from "@/server/schemas/orders";

export type CheckoutResult = RouterOutputs["portal"]["checkout"];
export type CheckoutErrors = { form?: string; items?: string; number?: string; expiry?: string; cvc?: string };
type Item = { serviceId: string; quantity: number };

/** One key per checkout attempt (rule N2); `randomUUID` needs a secure context, so fall back. */
function newKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Checkout with an idempotency key that lives as long as the attempt: a double click or a
 * retry after a lost answer sends the same key, so the server makes one order; a definite
 * answer (paid or declined) starts a new attempt.
 */
export function useCheckout({ onPaid }: { onPaid: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [key, setKey] = useState(newKey);
  const [result, setResult] = useState<CheckoutResult | null>(null);
  const [clientErrors, setClientErrors] = useState<CheckoutErrors>({});
  const inFlight = useRef(false);

  const mutation = useMutation(
    trpc.portal.checkout.mutationOptions({
      onSuccess(order) {
        setResult(order);
        if (order.status !== "pending") setKey(newKey());
        if (order.status === "paid") onPaid();
        void queryClient.invalidateQueries({ queryKey: trpc.portal.pathKey() });
      },
    }),
  );

  function submit(items: Item[], card: { number: string; expiry: string; cvc: string }) {
    if (inFlight.current) return;
    setResult(null);
    const input = { items, card, idempotencyKey: key };
    const parsed = checkoutInput.safeParse(input);
    if (!parsed.success) {
      setClientErrors(issuesToErrors(parsed.error.issues));
      mutation.reset();
      return;
    }
    setClientErrors({});
    // A second click before React re-renders the disabled button must not send a second request.
    inFlight.current = true;
    mutation.mutate(input, {
      onSettled() {
        inFlight.current = false;
      },
    });
  }

  return { submit, result, busy: mutation.isPending, errors: { ...serverErrors(mutation.error), ...clientErrors } };
}

function issuesToErrors(issues: { path: PropertyKey[]; message: string }[]): CheckoutErrors {
  const errors: CheckoutErrors = {};
  for (const issue of issues) {
    const [top, field] = issue.path;
    const name: keyof CheckoutErrors =
      top === "items" ? "items" : top === "card" && isCardField(field) ? field : "form";
    errors[name] ??= issue.message;
  }
  if (!errors.form && !errors.items) errors.form = "Please correct the card details above.";
  return errors;
}

function isCardField(field: PropertyKey | undefined): field is keyof CardInput {
  return field === "number" || field === "expiry" || field === "cvc";
}

function serverErrors(error: unknown): CheckoutErrors {
  if (!error) return {};
  if (error instanceof TRPCClientError && !error.data) {
    // The request may or may not have arrived; the same key makes pressing Pay again safe.
    return { form: "We couldn't reach the clinic's server. Check your connection and try again; you won't be charged twice." };
  }
  const { form, fields } = formErrors(error);
  return {
    items: fields.items,
    form: form ?? fields.card ?? fields.idempotencyKey ?? (fields.items ? undefined : "Something went wrong. Please try again."),
  };
}
