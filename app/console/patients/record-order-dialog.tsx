"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { formatCents } from "@/app/_components/format";
import { Alert, Button, TextField } from "@/app/_components/ui";
import { formErrors } from "@/app/_trpc/errors";
import { useTRPC } from "@/app/_trpc/client";
import type { RouterOutputs } from "@/server/root";

export type Patient = RouterOutputs["clinic"]["patients"][number];
export type RecordedOrder = RouterOutputs["clinic"]["recordOrder"];

type Props = { patient: Patient; idempotencyKey: string; onRecorded: (order: RecordedOrder) => void; onClose: () => void };

/** The front desk records an order the patient paid in person; credit is drawn first (rule P9). */
export function RecordOrderDialog({ patient, idempotencyKey, onRecorded, onClose }: Props) {
  const trpc = useTRPC();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const catalog = useQuery(trpc.clinic.catalog.queryOptions());
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const [paymentRef, setPaymentRef] = useState("");
  const record = useMutation(trpc.clinic.recordOrder.mutationOptions());
  const errors = formErrors(record.error);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  const items = (catalog.data ?? [])
    .map((service) => ({ service, quantity: Number(quantities[service.id] || 0) }))
    // Odd quantities are sent as typed, so the server can say what is wrong with them.
    .filter((line) => line.quantity !== 0 && !Number.isNaN(line.quantity));
  const totalCents = items.reduce((sum, line) => sum + line.service.priceCents * line.quantity, 0);
  const creditCents = Math.min(Math.max(patient.balanceCents, 0), totalCents);

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (record.isPending) return;
    record.mutate(
      {
        patientId: patient.id,
        items: items.map((line) => ({ serviceId: line.service.id, quantity: line.quantity })),
        idempotencyKey,
        paymentRef: paymentRef.trim() || undefined,
      },
      {
        onSuccess: (order) => {
          onRecorded(order);
          dialog.current?.close();
        },
      },
    );
  }

  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      onClose={onClose}
      // A recording in flight must finish before the dialog goes away.
      onCancel={(event) => record.isPending && event.preventDefault()}
      className="m-auto max-h-[calc(100dvh-2rem)] w-[calc(100%-2rem)] max-w-lg overflow-y-auto rounded-xl bg-white p-0 shadow-xl backdrop:bg-slate-900/50"
    >
      <form method="post" onSubmit={submit} noValidate className="flex flex-col gap-5 p-5">
        <div>
          <h2 id={titleId} className="text-xl font-semibold text-slate-900">
            Record a paid order
          </h2>
          <p className="mt-1 text-sm text-slate-700">
            For <strong>{patient.firstName} {patient.lastName}</strong> · credit balance {formatCents(patient.balanceCents)}
          </p>
        </div>

        {errors.form && <Alert>{errors.form}</Alert>}

        <fieldset aria-describedby={errors.fields.items ? `${titleId}-items` : undefined}>
          <legend className="text-sm font-medium text-slate-800">Services and quantities</legend>
          {errors.fields.items && (
            <p id={`${titleId}-items`} className="mt-1 text-sm font-medium text-red-700">
              {errors.fields.items}
            </p>
          )}
          {catalog.isError ? (
            <p className="mt-2 text-sm text-red-700">We couldn&apos;t load the services. Close this and try again.</p>
          ) : catalog.isPending ? (
            <p className="mt-2 text-sm text-slate-700">Loading services…</p>
          ) : (
            <ul className="mt-2 divide-y divide-slate-200 rounded-lg border border-slate-200">
              {catalog.data.map((service, index) => (
                <li key={service.id} className="flex items-center justify-between gap-3 px-3 py-2">
                  <label htmlFor={`${titleId}-${service.id}`} className="text-sm text-slate-900">
                    {service.name} <span className="text-slate-600">({formatCents(service.priceCents)})</span>
                  </label>
                  <input
                    id={`${titleId}-${service.id}`}
                    // The services load after the dialog opens; start the keyboard at the first one.
                    autoFocus={index === 0}
                    type="number"
                    inputMode="numeric"
                    min={0}
                    max={20}
                    step={1}
                    value={quantities[service.id] ?? "0"}
                    onChange={(event) => setQuantities((current) => ({ ...current, [service.id]: event.target.value }))}
                    onFocus={(event) => event.currentTarget.select()}
                    className="min-h-11 w-20 rounded-lg border border-slate-300 bg-white px-3 py-2 text-right text-base tabular-nums"
                  />
                </li>
              ))}
            </ul>
          )}
        </fieldset>

        <TextField
          label="Payment reference (optional)"
          hint="For example the card terminal receipt number."
          name="paymentRef"
          maxLength={100}
          autoComplete="off"
          value={paymentRef}
          onChange={(event) => setPaymentRef(event.target.value)}
          error={errors.fields.paymentRef}
        />

        <dl className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-1 rounded-lg bg-slate-50 p-3 text-sm">
          <dt className="text-slate-700">Order total</dt>
          <dd className="text-right tabular-nums">{formatCents(totalCents)}</dd>
          <dt className="text-slate-700">Credit to apply</dt>
          <dd className="text-right tabular-nums">{creditCents > 0 ? `−${formatCents(creditCents)}` : formatCents(0)}</dd>
          <dt className="font-semibold text-slate-900">To collect</dt>
          <dd className="text-right font-semibold tabular-nums">{formatCents(totalCents - creditCents)}</dd>
        </dl>

        <div className="flex flex-wrap-reverse justify-end gap-3">
          <Button type="button" variant="secondary" disabled={record.isPending} onClick={() => dialog.current?.close()}>
            Cancel
          </Button>
          <Button type="submit" busy={record.isPending}>
            {record.isPending ? "Recording…" : "Record paid order"}
          </Button>
        </div>
      </form>
    </dialog>
  );
}
