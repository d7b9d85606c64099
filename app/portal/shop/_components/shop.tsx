"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { formatCents } from "@/app/_components/format";
import { useActionForm } from "@/app/_components/form-parts";
import { initialFormState } from "@/app/_components/form-state";
import { Button, Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import type { RouterOutputs } from "@/server/root";
import { checkoutInput } from "@/server/schemas/orders";
import { checkoutAction } from "../actions";
import { CardFields } from "./card-fields";
import { checkoutFromForm, issuesToErrors, quantitiesOf, type CheckoutState } from "./checkout-form";
import { CheckoutResultRegions } from "./checkout-result";
import { OrderSummary, youPayCents } from "./order-summary";
import { ServicePicker } from "./service-picker";
import { refreshQueries } from "@/app/_trpc/refresh";

type Props = { services: RouterOutputs["portal"]["catalog"]; overview: RouterOutputs["portal"]["overview"]; idempotencyKey: string };

const check = (data: FormData) => {
  const parsed = checkoutInput.safeParse(checkoutFromForm(data));
  return parsed.success ? null : issuesToErrors(parsed.error.issues);
};

/**
 * Rule P9: choose services, see the credit come off, pay the rest by card. Rendered with the
 * page, so the form is there (and keeps what is typed) before the script runs; the key of
 * the attempt comes with it (rule N2).
 */
export function Shop({ services, overview: initialOverview, idempotencyKey }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const catalog = useQuery(trpc.portal.catalog.queryOptions(undefined, { initialData: services }));
  const overview = useQuery(trpc.portal.overview.queryOptions(undefined, { initialData: initialOverview }));
  const formRef = useRef<HTMLFormElement>(null);
  const initial: CheckoutState = { ...initialFormState({ idempotencyKey }), result: null };
  const { state, fieldErrors, formError, pending, action, onSubmit } = useActionForm(checkoutAction, initial, check);
  const [quantities, setQuantities] = useState<Record<string, number>>(() => quantitiesOf(Object.entries(state.values)));

  // Quantities typed before the script ran.
  useEffect(() => {
    if (formRef.current) setQuantities(quantitiesOf(new FormData(formRef.current).entries()));
  }, []);

  // A paid order empties the form; any answer may have moved the balance.
  const [answered, setAnswered] = useState(state.result);
  if (answered !== state.result) {
    setAnswered(state.result);
    if (state.result?.status === "paid") setQuantities({});
  }
  useEffect(() => {
    if (!state.result) return;
    void refreshQueries(queryClient, trpc.portal.pathKey());
    if (state.result.status === "paid") formRef.current?.reset();
  }, [state.result, queryClient, trpc]);

  const lines = catalog.data
    .filter((service) => (quantities[service.id] ?? 0) > 0)
    .map((service) => ({ id: service.id, name: service.name, priceCents: service.priceCents, quantity: quantities[service.id] ?? 0 }));
  const balanceCents = overview.data.balanceCents;
  const youPay = youPayCents(lines, balanceCents);
  const cardProblem = fieldErrors.number ?? fieldErrors.expiry ?? fieldErrors.cvc;
  const errors = { ...fieldErrors, form: formError ?? (cardProblem && !fieldErrors.items ? "Please correct the card details above." : undefined) };

  return (
    // A POST to a server action with or without the script; the card number and code are never sent back in the page.
    <form ref={formRef} action={action} onSubmit={onSubmit} noValidate className="flex flex-col gap-5">
      <input type="hidden" name="idempotencyKey" value={state.values.idempotencyKey ?? idempotencyKey} />
      <Card title="Services">
        <ServicePicker services={catalog.data} quantities={quantities} initial={state.values} onChange={(serviceId, quantity) => setQuantities((q) => ({ ...q, [serviceId]: quantity }))} />
      </Card>

      <Card title="Your order">
        <div className="flex flex-col gap-5">
          <OrderSummary lines={lines} balanceCents={balanceCents} />
          <CardFields errors={errors} expiry={state.values.cardExpiry} />
          <Button type="submit" busy={pending} className="w-full text-base">
            {pending ? "Processing…" : youPay !== null && youPay > 0 ? `Pay ${formatCents(youPay)}` : "Place order"}
          </Button>
          <CheckoutResultRegions result={state.result} errors={errors} />
        </div>
      </Card>
    </form>
  );
}
