import type { Metadata } from "next";
import Link from "next/link";
import { BAA_PATH, BAA_TITLE, SUBPROCESSORS } from "@/server/schemas/baa";

export const metadata: Metadata = { title: "Subprocessors" };

/** Issue 19: the services that may carry patient data for the platform, with the data each receives. */
export default function Subprocessors() {
  return (
    <main id="main" className="mx-auto max-w-3xl px-5 py-8 sm:py-12">
      <h1 className="text-3xl font-bold text-slate-900">Subprocessors</h1>
      <p className="mt-3 text-slate-700">
        These services may carry patient data when the platform runs a practice&apos;s referral program. Each is bound to the same protections as our{" "}
        <Link href={BAA_PATH} className="font-medium text-brand-700 underline">
          {BAA_TITLE}
        </Link>
        , and this list changes before a new one receives patient data. Webhooks and other integrations a practice sets up itself send to the practice&apos;s own
        recipients, not to our subprocessors.
      </p>
      <ul className="mt-8 flex flex-col gap-5">
        {SUBPROCESSORS.map((s) => (
          <li key={s.name} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
            <h2 className="text-lg font-semibold text-slate-900">{s.name}</h2>
            <dl className="mt-2 grid gap-x-4 gap-y-2 text-sm sm:grid-cols-[9rem_1fr]">
              <dt className="font-medium text-slate-900">What it does</dt>
              <dd className="text-slate-700">{s.purpose}</dd>
              <dt className="font-medium text-slate-900">Patient data it receives</dt>
              <dd className="text-slate-700">{s.data}</dd>
              <dt className="font-medium text-slate-900">When</dt>
              <dd className="text-slate-700">{s.when}</dd>
            </dl>
          </li>
        ))}
      </ul>
    </main>
  );
}
