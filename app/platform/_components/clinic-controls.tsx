"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert, Button, TextField } from "@/app/_components/ui";
import { formErrors } from "@/app/_trpc/errors";
import { useTRPC } from "@/app/_trpc/client";

/** Issue 13: a platform admin adds a clinic; its first admin gets an invitation by email. */
export function AddClinicForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [values, setValues] = useState({ name: "", slug: "", timeZone: "America/New_York", adminEmail: "" });
  const [done, setDone] = useState<string | null>(null);
  const create = useMutation(trpc.platform.createClinic.mutationOptions());
  const server = formErrors(create.error);
  const field = (name: keyof typeof values) => ({ name, value: values[name], onChange: (e: React.ChangeEvent<HTMLInputElement>) => setValues({ ...values, [name]: e.target.value }), error: server.fields[name] });

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (create.isPending) return;
    setDone(null);
    create.mutate(values, {
      onSuccess: () => {
        setDone(`${values.name} was added with its program paused. ${values.adminEmail} was invited to set it up.`);
        setValues({ name: "", slug: "", timeZone: values.timeZone, adminEmail: "" });
        router.refresh();
      },
    });
  }

  return (
    <form method="post" onSubmit={submit} noValidate aria-labelledby="add-clinic" className="flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id="add-clinic" className="text-lg font-semibold text-slate-900">
        Add a clinic
      </h2>
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField label="Clinic name" autoComplete="organization" {...field("name")} />
        <TextField label="Address in links" hint="Lower-case letters, digits and hyphens, like maple-street." autoComplete="off" {...field("slug")} />
        <TextField label="Time zone" hint="An IANA name, like America/Chicago." autoComplete="off" {...field("timeZone")} />
        <TextField label="First admin's email" type="email" autoComplete="off" {...field("adminEmail")} />
      </div>
      {server.form && <Alert>{server.form}</Alert>}
      {done && <Alert tone="success">{done}</Alert>}
      <div>
        <Button type="submit" busy={create.isPending}>
          Add clinic
        </Button>
      </div>
    </form>
  );
}

/** Rule P1: pause or resume a clinic's referral program from the platform. */
export function PauseClinicButton({ clinicId, name, paused }: { clinicId: string; name: string; paused: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toggle = useMutation(trpc.platform.setClinicPaused.mutationOptions());
  return (
    <Button
      variant="secondary"
      busy={toggle.isPending}
      aria-label={`${paused ? "Resume" : "Pause"} ${name}'s referral program`}
      onClick={() => toggle.mutate({ clinicId, paused: !paused }, { onSuccess: () => router.refresh() })}
    >
      {paused ? "Resume" : "Pause"}
    </Button>
  );
}
