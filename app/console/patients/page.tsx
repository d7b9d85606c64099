import type { Metadata } from "next";
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
      <PatientsWorkspace />
    </div>
  );
}
