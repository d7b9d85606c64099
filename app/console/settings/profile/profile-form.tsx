"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Alert, Button, TextField } from "@/app/_components/ui";
import { formErrors } from "@/app/_trpc/errors";
import { useTRPC } from "@/app/_trpc/client";
import type { RouterOutputs } from "@/server/root";
import { BrandPreview } from "./brand-preview";

type Profile = RouterOutputs["clinic"]["clinicProfile"];

/** Issue 13: the clinic's name, colour, contact details and logo; every change is audited. */
export function ProfileForm({ initial }: { initial: Profile }) {
  const trpc = useTRPC();
  const [values, setValues] = useState({ name: initial.name, brandColor: initial.brandColor ?? "", addressLine: initial.addressLine, phone: initial.phone, website: initial.website });
  const [logoUrl, setLogoUrl] = useState(initial.logoUrl);
  const [logoProblem, setLogoProblem] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  const [saved, setSaved] = useState(false);
  const save = useMutation(trpc.clinic.updateProfile.mutationOptions());
  const server = formErrors(save.error);
  const field = (name: keyof typeof values) => ({ name, value: values[name], onChange: (e: React.ChangeEvent<HTMLInputElement>) => setValues({ ...values, [name]: e.target.value }), error: server.fields[name] });

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (save.isPending) return;
    setSaved(false);
    save.mutate({ ...values, brandColor: values.brandColor.trim() || null }, { onSuccess: () => setSaved(true) });
  }

  async function upload(file: File | undefined) {
    if (!file || uploading) return;
    setUploading(true);
    setLogoProblem(null);
    try {
      const response = await fetch("/api/clinic/logo", { method: "POST", headers: { "content-type": "application/octet-stream" }, body: file });
      const body = (await response.json()) as { logoUrl: string } | { error: { message: string } };
      if ("error" in body) setLogoProblem(body.error.message);
      else setLogoUrl(body.logoUrl);
    } catch {
      setLogoProblem("The upload did not reach us. Check your connection and try again.");
    } finally {
      setUploading(false);
    }
  }

  return (
    <div className="flex flex-col gap-6">
      <section aria-labelledby="logo-heading" className="flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="logo-heading" className="text-lg font-semibold text-slate-900">
          Logo
        </h2>
        {/* eslint-disable-next-line @next/next/no-img-element -- served by our own route with a year's cache */}
        {logoUrl ? <img src={logoUrl} alt={`${values.name} logo`} className="h-16 w-auto self-start" /> : <p className="text-sm text-slate-700">No logo yet.</p>}
        <label htmlFor="logo-file" className="text-sm font-medium text-slate-800">
          Upload a logo (PNG, JPEG or WebP, up to 1 MB)
        </label>
        <input id="logo-file" type="file" accept="image/png,image/jpeg,image/webp" className="min-h-11 text-sm" disabled={uploading} onChange={(e) => void upload(e.target.files?.[0])} />
        {logoProblem && <Alert>{logoProblem}</Alert>}
      </section>
      <form method="post" onSubmit={submit} noValidate className="flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
        <TextField label="Clinic name" autoComplete="organization" {...field("name")} />
        <TextField label="Brand colour (optional)" hint="# and six hex digits, like #0f766e. Any colour works: we keep text on it readable." autoComplete="off" {...field("brandColor")} />
        <BrandPreview value={values.brandColor} />
        <TextField label="Address" autoComplete="street-address" {...field("addressLine")} />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField label="Phone" type="tel" autoComplete="tel" {...field("phone")} />
          <TextField label="Website" type="url" autoComplete="url" hint="Starting with https://" {...field("website")} />
        </div>
        {server.form && <Alert>{server.form}</Alert>}
        {saved && <Alert tone="success">Saved.</Alert>}
        <div>
          <Button type="submit" busy={save.isPending}>
            Save profile
          </Button>
        </div>
      </form>
    </div>
  );
}
