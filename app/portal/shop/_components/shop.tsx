"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { formatCents } from "@/app/_components/format";
import { Button, Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { LoadError, Loading } from "@/app/portal/_components/query-state";
import { CardFields, EMPTY_CARD, type CardDraft } from "./card-fields";
import { CheckoutResultRegions } from "./checkout-result";
import { OrderSummary, youPayCents } from "./order-summary";
import { ServicePicker } from "./service-picker";
import { useCheckout } from "./use-checkout";

/** Rule P9: choose services, see the credit come off, pay the rest by card. */
export function Shop() {
  const trpc = useTRPC();
  const catalog = useQuery(trpc.portal.catalog.queryOptions());
  const overview = useQuery(trpc.portal.overview.queryOptions());
  const [quantities, setQuantities] = useState<Record<string, number>>({});
  const [card, setCard] = useState<CardDraft>(EMPTY_CARD);
  const checkout = useCheckout({
    onPaid() {
      setQuantities({});
      setCard(EMPTY_CARD);
    },
  });

  if (catalog.isPending) return <Loading what="the clinic's services" />;
  if (catalog.isError) return <LoadError what="the clinic's services" error={catalog.error} onRetry={() => void catalog.refetch()} />;

  const lines = catalog.data
    .filter((service) => (quantities[service.id] ?? 0) > 0)
    .map((service) => ({ id: service.id, name: service.name, priceCents: service.priceCents, quantity: quantities[service.id] ?? 0 }));
  const balanceCents = overview.data?.balanceCents ?? null;
  const youPay = youPayCents(lines, balanceCents);

  return (
    <>
      <Card title="Services">
        <ServicePicker
          services={catalog.data}
          quantities={quantities}
          onChange={(serviceId, quantity) => setQuantities((q) => ({ ...q, [serviceId]: quantity }))}
        />
      </Card>

      <Card title="Your order">
        <form
          noValidate
          className="flex flex-col gap-5"
          onSubmit={(e) => {
            e.preventDefault();
            checkout.submit(
              lines.map((line) => ({ serviceId: line.id, quantity: line.quantity })),
              card,
            );
          }}
        >
          {overview.isError ? (
            <LoadError what="your credit balance" error={overview.error} onRetry={() => void overview.refetch()} />
          ) : (
            overview.isPending && <Loading what="your credit balance" />
          )}
          <OrderSummary lines={lines} balanceCents={balanceCents} />
          <CardFields card={card} onChange={setCard} errors={checkout.errors} />
          <Button type="submit" busy={checkout.busy} className="w-full text-base">
            {checkout.busy ? "Processing…" : youPay !== null && youPay > 0 ? `Pay ${formatCents(youPay)}` : "Place order"}
          </Button>
          <CheckoutResultRegions result={checkout.result} errors={checkout.errors} />
        </form>
      </Card>
    </>
  );
}
