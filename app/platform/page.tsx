import type { Metadata } from "next";
import { formatDate } from "@/app/_components/format";
import { StatusBadge } from "@/app/_components/ui";
import { serverCaller } from "@/app/_trpc/server";
import { AddClinicForm, PauseClinicButton } from "./_components/clinic-controls";
import { SendingBudgetForm } from "./_components/sending-budget-form";

export const metadata: Metadata = { title: "Platform" };

const th = "px-3 py-2 text-xs font-semibold uppercase tracking-wide text-slate-600";
const num = "px-3 py-3 text-right tabular-nums";

export default async function PlatformHome() {
  const clinics = await (await serverCaller()).platform.clinics();
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-bold text-slate-900">Platform</h1>
        <p className="mt-1 text-slate-700">The clinics on the platform and the state of their patient referral programs.</p>
      </div>

      <section aria-labelledby="clinics-heading" className="flex flex-col gap-3">
        <div>
          <h2 id="clinics-heading" className="text-lg font-semibold text-slate-900">
            Clinics
          </h2>
          <p className="text-sm text-slate-600">Counts only; each clinic&apos;s patient records stay with the clinic.</p>
        </div>
        {clinics.length === 0 ? (
          <p className="text-slate-700">No clinics yet.</p>
        ) : (
          // relative: the header's sr-only text is placed absolutely and would escape the scroll box, widening the page on a phone.
          <div className="relative overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
            <table className="w-full min-w-[52rem] border-collapse text-sm">
              <caption className="px-3 pt-3 text-left text-sm font-medium text-slate-700">
                {clinics.length === 1 ? "1 clinic" : `${clinics.length} clinics`}, by name
              </caption>
              <thead className="border-b border-slate-200">
                <tr>
                  <th scope="col" className={`${th} text-left`}>Clinic</th>
                  <th scope="col" className={`${th} text-left`}>Referral program</th>
                  <th scope="col" className={`${th} text-right`}>Patients</th>
                  <th scope="col" className={`${th} text-right`}>Referrals</th>
                  <th scope="col" className={`${th} text-left`}>Slug</th>
                  <th scope="col" className={`${th} text-left`}>Joined</th>
                  <th scope="col" className={`${th} text-left`}>Sending budget</th>
                  <th scope="col" className={`${th} text-left`}>
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-200">
                {clinics.map((clinic) => (
                  <tr key={clinic.id}>
                    <th scope="row" className="px-3 py-3 text-left font-semibold text-slate-900">
                      {clinic.name}
                    </th>
                    <td className="px-3 py-3">
                      {clinic.programEnabled ? <StatusBadge tone="good">On</StatusBadge> : <StatusBadge tone="warn">Paused</StatusBadge>}
                    </td>
                    <td className={num}>{clinic.patientCount.toLocaleString("en-US")}</td>
                    <td className={num}>{clinic.referralCount.toLocaleString("en-US")}</td>
                    <td className="whitespace-nowrap px-3 py-3 font-mono text-slate-700">{clinic.slug}</td>
                    <td className="whitespace-nowrap px-3 py-3 text-slate-700">{formatDate(clinic.createdAt)}</td>
                    <td className="px-3 py-2 text-slate-700">
                      {/* Issue 19: counted only in a self-signed-up clinic's first 30 days. */}
                      {clinic.selfSignedUpAt ? <SendingBudgetForm clinicId={clinic.id} name={clinic.name} perDay={clinic.sendingBudgetPerDay} /> : "No limit (added by the platform)"}
                    </td>
                    <td className="px-3 py-2">
                      <PauseClinicButton clinicId={clinic.id} name={clinic.name} paused={!clinic.programEnabled} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <AddClinicForm />
    </div>
  );
}
