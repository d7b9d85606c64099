import type { Metadata } from "next";
import Link from "next/link";
import { AddPatientForm } from "./add-patient-form";
import { PatientsWorkspace } from "./patients-workspace";

export const metadata: Metadata = { title: "Patients" };

export default function PatientsPage() {
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-bold text-slate-900">Patients</h1>
        <p className="mt-1 text-slate-700">
          Find or add a patient, see their credit, and record an order they paid at the front desk. Credit is applied first.
        </p>
      </div>
      <AddPatientForm />
      <p className="-mt-3">
        <Link href="/console/patients/import" className="inline-flex min-h-11 items-center text-sm font-medium text-brand-700 underline">
          Import patients from a CSV file
        </Link>
      </p>
      <PatientsWorkspace />
    </div>
  );
}
