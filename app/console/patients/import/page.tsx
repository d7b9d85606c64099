import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/app/_auth/require";
import { getDb } from "@/server/db";
import { IMPORT_COLUMNS, OPTIONAL_IMPORT_COLUMNS } from "@/server/schemas/patient-import";
import { hasVerifiedAdmin } from "@/server/messaging/gate";
import { ImportWorkspace } from "./import-workspace";

export const metadata: Metadata = { title: "Import patients" };

export default async function ImportPatientsPage() {
  const actor = await requireActor("admin");
  // Issue 19: a clinic with no confirmed admin address holds its invitations until one confirms.
  const invitationsWait = !actor.clinicId || !(await hasVerifiedAdmin(await getDb(), actor.clinicId));
  return (
    <div className="flex max-w-3xl flex-col gap-6">
      <div>
        <Link href="/console/patients" className="inline-flex min-h-11 items-center text-sm font-medium text-brand-700 underline">
          Back to patients
        </Link>
        <h1 className="text-2xl font-bold text-slate-900">Import patients</h1>
        <p className="mt-1 text-slate-700">
          Bring in the patients you already have, from a CSV file of up to 20 MB. Its first row names the columns{" "}
          <code className="rounded bg-slate-100 px-1 wrap-anywhere">{IMPORT_COLUMNS.join(",")}</code>, and optionally{" "}
          <code className="rounded bg-slate-100 px-1 wrap-anywhere">{OPTIONAL_IMPORT_COLUMNS.join(",")}</code> (true/false, YYYY-MM-DD). Each patient gets a
          referral code at once and counts as an existing patient. A row that matches a patient you have (by your id, then email, then phone) is
          skipped and changes nothing. Imported phone numbers get no text messages until the patient agrees to them.
        </p>
      </div>
      <ImportWorkspace invitationsWait={invitationsWait} />
    </div>
  );
}
