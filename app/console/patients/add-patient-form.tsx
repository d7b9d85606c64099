"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Alert, Button, TextField } from "@/app/_components/ui";
import { formErrors } from "@/app/_trpc/errors";
import { useTRPC } from "@/app/_trpc/client";
import { refreshQueries } from "@/app/_trpc/refresh";

const EMPTY = { firstName: "", lastName: "", email: "", phone: "", referralCode: "" };

/** Issue 13: the front desk adds a patient, with the code of the friend who sent them if they have one. */
export function AddPatientForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState(EMPTY);
  const [added, setAdded] = useState<{ patientId: string; text: string } | null>(null);
  const add = useMutation(trpc.patients.add.mutationOptions());
  const server = formErrors(add.error);
  const field = (name: keyof typeof EMPTY) => ({ name, value: values[name], onChange: (e: React.ChangeEvent<HTMLInputElement>) => setValues({ ...values, [name]: e.target.value }), error: server.fields[name] });

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (add.isPending) return;
    add.mutate(
      { ...values, phone: values.phone || undefined, referralCode: values.referralCode || undefined },
      {
        onSuccess: (result) => {
          const name = `${values.firstName} ${values.lastName}`;
          setAdded({ patientId: result.patientId, text: result.referralId ? `${name} was added, referred by the code's owner.` : result.notice ? `${name} was added. ${result.notice}` : `${name} was added.` });
          setValues(EMPTY);
          setOpen(false);
          void refreshQueries(queryClient, trpc.clinic.pathKey());
        },
      },
    );
  }

  if (!open) {
    return (
      <div className="flex flex-col gap-3">
        {added && (
          <Alert tone="success">
            {added.text}{" "}
            <Link href={`/console/patients/${added.patientId}`} className="font-semibold underline">
              Open their record
            </Link>
          </Alert>
        )}
        <div>
          <Button variant="secondary" onClick={() => setOpen(true)}>
            Add a patient
          </Button>
        </div>
      </div>
    );
  }

  return (
    <form method="post" onSubmit={submit} noValidate aria-labelledby="add-patient" className="flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id="add-patient" className="text-lg font-semibold text-slate-900">
        Add a patient
      </h2>
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField label="First name" autoComplete="off" {...field("firstName")} />
        <TextField label="Last name" autoComplete="off" {...field("lastName")} />
        <TextField label="Email" type="email" autoComplete="off" {...field("email")} />
        <TextField label="Phone (optional)" type="tel" autoComplete="off" {...field("phone")} />
      </div>
      <TextField label="Referral code (optional)" hint="The code of the friend who sent them, if they have one." autoComplete="off" {...field("referralCode")} />
      {server.form && <Alert>{server.form}</Alert>}
      <div className="flex gap-2">
        <Button type="submit" busy={add.isPending}>
          Add patient
        </Button>
        <Button
          type="button"
          variant="secondary"
          onClick={() => {
            setOpen(false);
            add.reset();
          }}
        >
          Cancel
        </Button>
      </div>
    </form>
  );
}
