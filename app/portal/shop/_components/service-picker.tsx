"use client";

import { useId } from "react";
import { formatCents } from "@/app/_components/format";
import type { RouterOutputs } from "@/server/root";

type Service = RouterOutputs["portal"]["catalog"][number];
export const MAX_QUANTITY = 20;

type Props = { services: Service[]; quantities: Record<string, number>; onChange: (serviceId: string, quantity: number) => void };

export function ServicePicker({ services, quantities, onChange }: Props) {
  if (services.length === 0) {
    return <p className="text-slate-700">This clinic hasn&apos;t listed any services for online booking yet.</p>;
  }
  return (
    <ul className="divide-y divide-slate-200">
      {services.map((service) => (
        <ServiceRow key={service.id} service={service} quantity={quantities[service.id] ?? 0} onChange={onChange} />
      ))}
    </ul>
  );
}

function ServiceRow({ service, quantity, onChange }: { service: Service; quantity: number; onChange: Props["onChange"] }) {
  const nameId = useId();
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
        <button
          type="button"
          className={stepClass}
          aria-label={`Remove one ${service.name}`}
          disabled={quantity === 0}
          onClick={() => onChange(service.id, quantity - 1)}
        >
          <span aria-hidden="true">−</span>
        </button>
        <span aria-live="polite" aria-atomic="true" className="w-8 text-center text-lg font-semibold tabular-nums">
          <span className="sr-only">{service.name}, quantity </span>
          {quantity}
        </span>
        <button
          type="button"
          className={stepClass}
          aria-label={`Add one ${service.name}`}
          disabled={quantity >= MAX_QUANTITY}
          onClick={() => onChange(service.id, quantity + 1)}
        >
          <span aria-hidden="true">+</span>
        </button>
      </div>
    </li>
  );
}
