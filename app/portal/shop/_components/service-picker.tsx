"use client";

import { useId, useRef } from "react";
import { formatCents } from "@/app/_components/format";
import type { RouterOutputs } from "@/server/root";
import { quantityName } from "./checkout-form";

type Service = RouterOutputs["portal"]["catalog"][number];
export const MAX_QUANTITY = 20;

type Props = { services: Service[]; quantities: Record<string, number>; initial: Record<string, string>; onChange: (serviceId: string, quantity: number) => void };

/** Each quantity is a real field of the checkout form, so the order can be placed before the script runs; the buttons step it once it has. */
export function ServicePicker({ services, quantities, initial, onChange }: Props) {
  if (services.length === 0) {
    return <p className="text-slate-700">This clinic hasn&apos;t listed any services for online booking yet.</p>;
  }
  return (
    <ul className="divide-y divide-slate-200">
      {services.map((service) => (
        <ServiceRow key={service.id} service={service} quantity={quantities[service.id] ?? 0} initial={initial[quantityName(service.id)] ?? "0"} onChange={onChange} />
      ))}
    </ul>
  );
}

function ServiceRow({ service, quantity, initial, onChange }: { service: Service; quantity: number; initial: string; onChange: Props["onChange"] }) {
  const nameId = useId();
  const input = useRef<HTMLInputElement>(null);
  const step = (by: number) => {
    const next = Math.min(MAX_QUANTITY, Math.max(0, quantity + by));
    if (input.current) input.current.value = String(next);
    onChange(service.id, next);
  };
  const stepClass =
    "inline-flex size-11 items-center justify-center rounded-lg border border-slate-300 bg-white text-xl font-semibold text-slate-800 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-50";
  return (
    <li className="flex flex-wrap items-center justify-between gap-3 py-3 first:pt-0 last:pb-0">
      <div className="min-w-0 flex-1">
        <p id={nameId} className="font-semibold text-slate-900">
          {service.name}
        </p>
        {service.description && <p className="text-sm text-slate-700">{service.description}</p>}
        <p className="text-sm font-medium text-slate-900">{formatCents(service.priceCents)}</p>
      </div>
      <div role="group" aria-labelledby={nameId} className="flex items-center gap-2">
        <button type="button" className={stepClass} aria-label={`Remove one ${service.name}`} disabled={quantity === 0} onClick={() => step(-1)}>
          <span aria-hidden="true">−</span>
        </button>
        <input
          ref={input}
          type="number"
          name={quantityName(service.id)}
          inputMode="numeric"
          min={0}
          max={MAX_QUANTITY}
          defaultValue={initial}
          aria-label={`${service.name}, quantity`}
          onChange={(e) => onChange(service.id, Math.min(MAX_QUANTITY, Math.max(0, Math.trunc(Number(e.target.value) || 0))))}
          className="h-11 w-14 rounded-lg border border-slate-300 bg-white text-center text-lg font-semibold tabular-nums"
        />
        <button type="button" className={stepClass} aria-label={`Add one ${service.name}`} disabled={quantity >= MAX_QUANTITY} onClick={() => step(1)}>
          <span aria-hidden="true">+</span>
        </button>
      </div>
    </li>
  );
}
