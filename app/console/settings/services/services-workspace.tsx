"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Alert, Button, StatusBadge, TextField } from "@/app/_components/ui";
import { formErrors } from "@/app/_trpc/errors";
import { useTRPC } from "@/app/_trpc/client";
import type { RouterOutputs } from "@/server/root";
import { formatCents, parseDollars } from "@/server/schemas/money";

type Service = RouterOutputs["clinic"]["services"][number];

const dollars = (cents: number) => formatCents(cents).replace("$", "").replaceAll(",", "");

/** Create, edit, archive and restore the clinic's services; every change is audited. */
export function ServicesWorkspace({ initial }: { initial: Service[] }) {
  const trpc = useTRPC();
  const list = useQuery({ ...trpc.clinic.services.queryOptions(), initialData: initial });
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const toggle = useMutation(trpc.clinic.setServiceActive.mutationOptions());

  const done = (message: string) => {
    setNotice(message);
    setEditing(null);
    void list.refetch();
  };

  return (
    <div className="flex flex-col gap-6">
      {notice && <Alert tone="success">{notice}</Alert>}
      {toggle.error && <Alert>{toggle.error.message}</Alert>}
      <ul className="flex flex-col divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white">
        {list.data.map((service) => (
          <li key={service.id} className="flex flex-col gap-3 p-4">
            {editing === service.id ? (
              <ServiceForm service={service} onDone={done} onCancel={() => setEditing(null)} />
            ) : (
              <div className="flex flex-wrap items-center justify-between gap-3">
                <div>
                  <p className="font-semibold text-slate-900">
                    {service.name} <span className="font-normal text-slate-700">{formatCents(service.priceCents)}</span>{" "}
                    {!service.active && <StatusBadge tone="neutral">Archived</StatusBadge>}
                  </p>
                  {service.description && <p className="text-sm text-slate-700">{service.description}</p>}
                </div>
                <div className="flex gap-2">
                  <Button variant="secondary" onClick={() => setEditing(service.id)} aria-label={`Edit ${service.name}`}>
                    Edit
                  </Button>
                  <Button
                    variant="secondary"
                    busy={toggle.isPending && toggle.variables?.serviceId === service.id}
                    aria-label={`${service.active ? "Archive" : "Restore"} ${service.name}`}
                    onClick={() =>
                      toggle.mutate({ serviceId: service.id, active: !service.active }, { onSuccess: (s) => done(s.active ? `${s.name} is offered again.` : `${s.name} is archived.`) })
                    }
                  >
                    {service.active ? "Archive" : "Restore"}
                  </Button>
                </div>
              </div>
            )}
          </li>
        ))}
      </ul>
      <section aria-labelledby="new-service" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="new-service" className="mb-3 text-lg font-semibold text-slate-900">
          Add a service
        </h2>
        <ServiceForm onDone={done} />
      </section>
    </div>
  );
}

function ServiceForm({ service, onDone, onCancel }: { service?: Service; onDone: (message: string) => void; onCancel?: () => void }) {
  const trpc = useTRPC();
  const [name, setName] = useState(service?.name ?? "");
  const [description, setDescription] = useState(service?.description ?? "");
  const [price, setPrice] = useState(service ? dollars(service.priceCents) : "");
  const create = useMutation(trpc.clinic.createService.mutationOptions());
  const update = useMutation(trpc.clinic.updateService.mutationOptions());
  const pending = create.isPending || update.isPending;
  const server = formErrors(service ? update.error : create.error);
  const priceCents = parseDollars(price);

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (pending) return;
    const fields = { name, description, priceCents: priceCents ?? Number.NaN };
    if (service) update.mutate({ ...fields, serviceId: service.id }, { onSuccess: (s) => onDone(`Saved ${s.name}.`) });
    else
      create.mutate(fields, {
        onSuccess: (s) => {
          setName("");
          setDescription("");
          setPrice("");
          onDone(`Added ${s.name}.`);
        },
      });
  }

  return (
    <form method="post" onSubmit={submit} noValidate className="flex flex-col gap-3">
      <div className="grid gap-3 sm:grid-cols-[2fr_1fr]">
        <TextField label="Name" name="name" value={name} onChange={(e) => setName(e.target.value)} error={server.fields.name} maxLength={120} />
        <TextField
          label="Price (dollars)"
          name="priceCents"
          inputMode="decimal"
          value={price}
          onChange={(e) => setPrice(e.target.value)}
          error={server.fields.priceCents ?? (price && priceCents === null ? "Enter dollars, like 120 or 89.50." : undefined)}
        />
      </div>
      <TextField label="Description (optional)" name="description" value={description} onChange={(e) => setDescription(e.target.value)} error={server.fields.description} maxLength={500} />
      {server.form && <Alert>{server.form}</Alert>}
      <div className="flex gap-2">
        <Button type="submit" busy={pending}>
          {service ? "Save" : "Add service"}
        </Button>
        {onCancel && (
          <Button type="button" variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
