"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { formatCents } from "@/app/_components/format";
import { Alert, Button, TextField } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { PatientControls } from "../_components/patient-controls";
import { RecordOrderDialog, type Patient, type RecordedOrder } from "./record-order-dialog";
import { refreshQueries } from "@/app/_trpc/refresh";

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function PatientsWorkspace() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState("");
  const debounced = useDebounced(search.trim(), 300);
  const patients = useQuery({ ...trpc.clinic.patients.queryOptions({ search: debounced }), placeholderData: keepPreviousData });
  const [selected, setSelected] = useState<Patient | null>(null);
  // Rule N2: one key per attempt; a retry or double submit for the same patient reuses it.
  const [attempt, setAttempt] = useState<{ patientId: string; key: string } | null>(null);
  const [recorded, setRecorded] = useState<string | null>(null);
  const opener = useRef<HTMLButtonElement | null>(null);
  const [managed, setManaged] = useState<Patient | null>(null);
  const manageHeading = useRef<HTMLHeadingElement>(null);

  function manage(patient: Patient) {
    setManaged(patient);
    requestAnimationFrame(() => manageHeading.current?.focus());
  }

  function open(patient: Patient, button: HTMLButtonElement) {
    opener.current = button;
    setRecorded(null);
    setAttempt((current) => (current?.patientId === patient.id ? current : { patientId: patient.id, key: crypto.randomUUID() }));
    setSelected(patient);
  }

  function onRecorded(order: RecordedOrder) {
    setAttempt(null);
    setRecorded(
      `Order recorded: total ${formatCents(order.totalCents)}, credit applied ${formatCents(order.creditAppliedCents)}, collect ${formatCents(order.chargedCents)} from the patient.`,
    );
    void refreshQueries(queryClient, trpc.clinic.pathKey());
  }

  const rows = patients.data ?? [];
  return (
    <div className="flex flex-col gap-4">
      {/* Rule N3: sent before the script runs, a POST keeps the name typed out of the URL. */}
      <form method="post" role="search" aria-label="Patients" onSubmit={(event) => event.preventDefault()} className="max-w-md">
        <TextField
          label="Find a patient"
          hint="Type part of a name or email address."
          name="search"
          type="search"
          autoComplete="off"
          maxLength={100}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
      </form>

      <div role="status" aria-live="polite">
        {recorded && (
          <div className="rounded-lg border border-emerald-300 bg-emerald-50 px-4 py-3 text-sm font-medium text-emerald-900">{recorded}</div>
        )}
      </div>

      {patients.isError ? (
        <Alert>We couldn&apos;t load the patient list. Check your connection and reload the page.</Alert>
      ) : patients.isPending ? (
        <p className="text-slate-700">Loading patients…</p>
      ) : (
        <div className="relative overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm" aria-busy={patients.isFetching || undefined}>
          <table className="w-full min-w-[22rem] border-collapse text-sm">
            <caption className="px-3 pt-3 text-left text-sm text-slate-600">
              {resultsCaption(rows.length, debounced)}
            </caption>
            <thead className="border-b border-slate-200">
              <tr>
                <th scope="col" className="px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">Patient</th>
                <th scope="col" className="px-3 py-2 text-right text-xs font-semibold uppercase tracking-wide text-slate-600">Credit</th>
                <th scope="col" className="px-3 py-2 text-right text-xs font-semibold uppercase tracking-wide text-slate-600">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200">
              {rows.map((patient) => (
                <tr key={patient.id}>
                  <th scope="row" className="px-3 py-3 text-left align-top font-normal">
                    {/* Rule N3: the record's procedure audits the visit, so no prefetch on hover. */}
                    <Link href={`/console/patients/${patient.id}`} prefetch={false} className="block font-semibold text-brand-700 underline">
                      {patient.firstName} {patient.lastName}
                    </Link>
                    <span className="block text-xs text-slate-600 [overflow-wrap:anywhere]">{patient.email}</span>
                  </th>
                  <td className="px-3 py-3 text-right align-top font-medium tabular-nums text-slate-900">{formatCents(patient.balanceCents)}</td>
                  <td className="px-3 py-2 text-right align-top">
                    <div className="flex flex-wrap justify-end gap-2">
                      <Button type="button" variant="secondary" className="px-3" aria-pressed={managed?.id === patient.id} onClick={() => manage(patient)}>
                        Manage<span className="sr-only"> {patient.firstName} {patient.lastName}</span>
                      </Button>
                      <Button
                        type="button"
                        variant="secondary"
                        className="px-3"
                        onClick={(event) => open(patient, event.currentTarget)}
                      >
                        Record order<span className="sr-only"> for {patient.firstName} {patient.lastName}</span>
                      </Button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {managed && (
        <section aria-labelledby="manage-heading" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
          <h2 id="manage-heading" ref={manageHeading} tabIndex={-1} className="mb-3 text-lg font-semibold text-slate-900">
            Manage {managed.firstName} {managed.lastName}
          </h2>
          <PatientControls key={managed.id} patientId={managed.id} />
        </section>
      )}

      {selected && attempt && (
        <RecordOrderDialog
          patient={selected}
          idempotencyKey={attempt.key}
          onRecorded={onRecorded}
          onClose={() => {
            setSelected(null);
            opener.current?.focus();
          }}
        />
      )}
    </div>
  );
}

function resultsCaption(count: number, search: string): string {
  const patients = count === 1 ? "1 patient" : `${count} patients`;
  if (!search) return count >= 50 ? "The first 50 patients by last name. Search to find others." : `${patients} at this clinic`;
  if (count === 0) return `No patients match “${search}”.`;
  return count >= 50 ? `The first 50 patients matching “${search}”. Type more to narrow it down.` : `${patients} matching “${search}”`;
}
