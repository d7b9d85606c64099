"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { SelectField } from "@/app/_components/fields";
import { Alert, Button, Card, TextField } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { formErrors } from "@/app/_trpc/errors";
import { Table, td } from "./table";

type Row = { id: string; name: string; domain: string | null; phoneE164: string | null; postalCode: string; country: "US" | "CA" | "OTHER"; status: string; billingCycle?: string; nextBillingDate?: string | null; renewalDate?: string | null; owner?: string };

const EMPTY = { id: "", name: "", website: "", phone: "", postalCode: "", country: "US" as "US" | "CA" | "OTHER", status: "active", billingCycle: "monthly", nextBillingDate: "", renewalDate: "", owner: "" };

/** Customers or prospects: the list screening (rule B2) matches against, editable and importable. */
export function CrmWorkspace({ kind, rows }: { kind: "customer" | "prospect"; rows: Row[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [form, setForm] = useState(EMPTY);
  const [csv, setCsv] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const handlers = (done: string) => ({
    onSuccess: () => {
      setError(null);
      setNotice(done);
      setForm(EMPTY);
      router.refresh();
    },
    onError: (e: unknown) => {
      const { form: message, fields } = formErrors(e);
      setNotice(null);
      setError(Object.values(fields).find(Boolean) ?? message ?? "That didn't work.");
    },
  });
  const saveCustomer = useMutation(trpc.platformB2b.saveCustomer.mutationOptions(handlers("Saved.")));
  const saveProspect = useMutation(trpc.platformB2b.saveProspect.mutationOptions(handlers("Saved.")));
  const importCustomers = useMutation(trpc.platformB2b.importCustomers.mutationOptions(handlers("Imported.")));
  const importProspects = useMutation(trpc.platformB2b.importProspects.mutationOptions(handlers("Imported.")));

  function save(event: React.FormEvent) {
    event.preventDefault();
    const base = { id: form.id || undefined, name: form.name, website: form.website, phone: form.phone, postalCode: form.postalCode, country: form.country };
    if (kind === "customer") {
      saveCustomer.mutate({ ...base, status: form.status as "active" | "former", billingCycle: form.billingCycle as "monthly" | "annual", nextBillingDate: form.nextBillingDate || null, renewalDate: form.renewalDate || null });
    } else {
      saveProspect.mutate({ ...base, status: form.status as "active" | "closed", owner: form.owner });
    }
  }
  async function pickFile(event: React.ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (file) setCsv(await file.text());
  }
  const statuses = kind === "customer" ? [["active", "Active"], ["former", "Former"]] as const : [["active", "Active"], ["closed", "Closed"]] as const;
  const columns = kind === "customer" ? "name,website,phone,postalCode,country,status,billingCycle,nextBillingDate,renewalDate" : "name,website,phone,postalCode,country,status,owner";

  return (
    <div className="flex flex-col gap-6">
      {error && <Alert>{error}</Alert>}
      {notice && <Alert tone="success">{notice}</Alert>}
      <Table caption={`${rows.length} ${kind}(s)`} head={kind === "customer" ? ["Name", "Domain", "Phone", "Postal", "Status", "Billing", ""] : ["Name", "Domain", "Phone", "Postal", "Status", "Owner", ""]}>
        {rows.map((r) => (
          <tr key={r.id}>
            <th scope="row" className={`${td} text-left font-semibold`}>{r.name}</th>
            <td className={td}>{r.domain ?? "—"}</td>
            <td className={td}>{r.phoneE164 ?? "—"}</td>
            <td className={td}>{r.postalCode} {r.country}</td>
            <td className={td}>{r.status}</td>
            <td className={td}>{kind === "customer" ? `${r.billingCycle}${r.renewalDate ? `, renews ${r.renewalDate}` : ""}${r.nextBillingDate ? `, next bill ${r.nextBillingDate}` : ""}` : r.owner || "—"}</td>
            <td className={td}>
              <Button variant="secondary" onClick={() => setForm({ ...EMPTY, ...r, website: r.domain ?? "", phone: r.phoneE164 ?? "", billingCycle: r.billingCycle ?? "monthly", nextBillingDate: r.nextBillingDate ?? "", renewalDate: r.renewalDate ?? "", owner: r.owner ?? "" })}>
                Edit<span className="sr-only"> {r.name}</span>
              </Button>
            </td>
          </tr>
        ))}
      </Table>
      <Card title={form.id ? `Edit ${form.name}` : `Add a ${kind}`}>
        <form method="post" onSubmit={save} className="grid gap-3 sm:grid-cols-2">
          <TextField label="Name" name="name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          <TextField label="Website" name="website" value={form.website} onChange={(e) => setForm({ ...form, website: e.target.value })} />
          <TextField label="Phone" name="phone" value={form.phone} onChange={(e) => setForm({ ...form, phone: e.target.value })} />
          <TextField label="Postal code" name="postalCode" value={form.postalCode} onChange={(e) => setForm({ ...form, postalCode: e.target.value })} />
          <SelectField label="Country" name="country" value={form.country} onChange={(e) => setForm({ ...form, country: e.target.value as "US" | "CA" | "OTHER" })} options={[["US", "United States"], ["CA", "Canada"], ["OTHER", "Other"]]} />
          <SelectField label="Status" name="status" value={form.status} onChange={(e) => setForm({ ...form, status: e.target.value })} options={statuses} />
          {kind === "customer" ? (
            <>
              <SelectField label="Billing" name="billingCycle" value={form.billingCycle} onChange={(e) => setForm({ ...form, billingCycle: e.target.value })} options={[["monthly", "Monthly"], ["annual", "Prepaid yearly"]]} />
              <TextField label="Next billing date" name="nextBillingDate" type="date" value={form.nextBillingDate} onChange={(e) => setForm({ ...form, nextBillingDate: e.target.value })} />
              <TextField label="Renewal date" name="renewalDate" type="date" value={form.renewalDate} onChange={(e) => setForm({ ...form, renewalDate: e.target.value })} />
            </>
          ) : (
            <TextField label="Owner" name="owner" value={form.owner} onChange={(e) => setForm({ ...form, owner: e.target.value })} />
          )}
          <div className="flex gap-2 sm:col-span-2">
            <Button type="submit" busy={saveCustomer.isPending || saveProspect.isPending}>Save</Button>
            {form.id && <Button type="button" variant="secondary" onClick={() => setForm(EMPTY)}>Cancel</Button>}
          </div>
        </form>
      </Card>
      <Card title="Import from CSV">
        <form method="post"
          className="flex flex-col gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            if (kind === "customer") importCustomers.mutate({ csv });
            else importProspects.mutate({ csv });
          }}
        >
          <p className="text-sm text-slate-700">
            A header row with <code>{columns}</code>. Rows update the practice with the same name and postal code; one bad row imports nothing.
          </p>
          <label className="text-sm font-medium text-slate-800">
            CSV file
            <input type="file" accept=".csv,text/csv" onChange={pickFile} className="mt-1 block min-h-11" />
          </label>
          <Button type="submit" busy={importCustomers.isPending || importProspects.isPending} disabled={!csv} className="self-start">Import</Button>
        </form>
      </Card>
    </div>
  );
}
