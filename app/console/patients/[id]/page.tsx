import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatCents, formatDate } from "@/app/_components/format";
import { Card, StatusBadge } from "@/app/_components/ui";
import { currentActor } from "@/app/_auth/require";
import { serverCaller } from "@/app/_trpc/server";
import { erasedEmail } from "@/server/services/patients/erasure";
import { ActivityLog } from "../../_components/activity-log";
import { ReferralStatusBadge } from "../../_components/referral-status";
import { ErasePatient } from "./erase-patient";

// Rule N3: no patient's name in the title, which browsers keep in their history.
export const metadata: Metadata = { title: "Patient record" };

async function loadRecord(patientId: string) {
  try {
    return await (await serverCaller()).patients.record({ patientId });
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
    throw error;
  }
}

export default async function PatientRecordPage({ params }: { params: Promise<{ id: string }> }) {
  const [record, actor] = await Promise.all([loadRecord((await params).id), currentActor()]);
  const { patient } = record;
  const erased = patient.email === erasedEmail(patient.id);
  const facts = [
    { label: "Email", value: `${patient.email} (${patient.emailVerified ? "verified" : "not verified yet"})` },
    { label: "Phone", value: patient.phone ? `+${patient.phone} (${patient.smsConsent ? "texts allowed by the patient" : "no SMS consent"})` : "Not given" },
    { label: "Patient since", value: formatDate(patient.joinedAt) },
    { label: "Credit balance", value: formatCents(record.balanceCents) },
    { label: "Referral code", value: record.code ?? "None active" },
  ];

  return (
    <div className="flex flex-col gap-6">
      <div>
        <Link href="/console/patients" className="inline-flex min-h-11 items-center text-sm font-medium text-brand-700 underline">
          Back to patients
        </Link>
        <h1 className="text-2xl font-bold text-slate-900">
          {patient.firstName} {patient.lastName}
          {erased ? (
            <span className="ml-3 align-middle">
              <StatusBadge tone="bad">Data erased on request</StatusBadge>
            </span>
          ) : patient.disabled && (
            <span className="ml-3 align-middle">
              <StatusBadge tone="bad">Account disabled</StatusBadge>
            </span>
          )}
        </h1>
        <p className="mt-1 text-sm text-slate-600">Opening this record is written to the clinic&apos;s audit log.</p>
        {/* Rule N3: the patient's own data, for their request; the download is audited too. */}
        <a href={`/api/patients/${patient.id}/export`} download className="mt-2 inline-flex min-h-11 items-center text-sm font-medium text-brand-700 underline">
          Download this patient&apos;s data (ZIP of JSON and CSV)
        </a>
      </div>

      <Card title="Summary">
        <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-2 lg:grid-cols-3">
          {facts.map((fact) => (
            <div key={fact.label}>
              <dt className="text-sm font-medium text-slate-600">{fact.label}</dt>
              <dd className="text-slate-900 [overflow-wrap:anywhere]">{fact.value}</dd>
            </div>
          ))}
        </dl>
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Referred by">
          {record.referredBy ? (
            <p className="text-slate-800">
              <Link href={`/console/patients/${record.referredBy.referrer.id}`} prefetch={false} className="font-medium text-brand-700 underline">
                {record.referredBy.referrer.name}
              </Link>{" "}
              on {formatDate(record.referredBy.createdAt)} <ReferralStatusBadge status={record.referredBy.status} />
            </p>
          ) : (
            <p className="text-slate-700">Not referred: signed up without a referral link or code.</p>
          )}
        </Card>

        <Card title={`Referrals made (${record.referralsMade.length})`}>
          {record.referralsMade.length === 0 ? (
            <p className="text-slate-700">No referrals yet.</p>
          ) : (
            <ul className="divide-y divide-slate-200">
              {record.referralsMade.map((r) => (
                <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <span>
                    <Link href={`/console/patients/${r.referee.id}`} prefetch={false} className="font-medium text-brand-700 underline">
                      {r.referee.name}
                    </Link>
                    <span className="block text-xs text-slate-600">Signed up {formatDate(r.createdAt)}</span>
                  </span>
                  <ReferralStatusBadge status={r.status} />
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>

      <Card title="Credit history">
        {record.ledger.length === 0 ? (
          <p className="text-slate-700">No credit yet.</p>
        ) : (
          <table className="w-full border-collapse text-sm">
            <caption className="sr-only">Credit history, newest first</caption>
            <thead className="border-b border-slate-200">
              <tr>
                <th scope="col" className="px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">Date</th>
                <th scope="col" className="px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">What</th>
                <th scope="col" className="px-3 py-2 text-right text-xs font-semibold uppercase tracking-wide text-slate-600">Amount</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {record.ledger.map((entry) => (
                <tr key={entry.id}>
                  <td className="whitespace-nowrap px-3 py-2 text-slate-700">{formatDate(entry.createdAt)}</td>
                  <td className="px-3 py-2 text-slate-900">
                    {entry.memo}
                    {entry.expiresAt && <span className="block text-xs text-slate-600">Expires {formatDate(entry.expiresAt)}</span>}
                  </td>
                  <td className="px-3 py-2 text-right font-medium tabular-nums text-slate-900">{entry.unit === "points" ? `${entry.amountCents} points` : formatCents(entry.amountCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>

      {/* Rule N3: erasure on request, for admins (the procedure checks the role again). */}
      {actor?.role === "admin" && !erased && (
        <Card title="Erase on request">
          <ErasePatient patientId={patient.id} />
        </Card>
      )}

      <section aria-labelledby="timeline-heading" className="flex flex-col gap-3">
        <h2 id="timeline-heading" className="text-lg font-semibold text-slate-900">
          Timeline
        </h2>
        <ActivityLog patientId={patient.id} />
      </section>
    </div>
  );
}
