import type { Metadata } from "next";
import Link from "next/link";
import { formatCents, formatDate } from "@/app/_components/format";
import { Card } from "@/app/_components/ui";
import { serverCaller } from "@/app/_trpc/server";
import { fullName, ReferralStatusBadge } from "./_components/referral-status";

export const metadata: Metadata = { title: "Overview" };

export default async function ConsoleOverview() {
  const caller = await serverCaller();
  const [summary, latest, clinic] = await Promise.all([
    caller.clinic.summary(),
    caller.clinic.referrals({ page: 1 }),
    caller.clinic.profile(),
  ]);
  const stats = [
    { label: "Signed up", value: String(summary.signedUp), hint: "Waiting for their first paid order" },
    { label: "Qualified", value: String(summary.qualified), hint: "Both patients earned their credit" },
    { label: "Not eligible", value: String(summary.ineligible), hint: "No reward, for example a self-referral" },
    { label: "Credit issued", value: formatCents(summary.creditIssuedCents), hint: "To referrers and new patients" },
  ];

  return (
    <div className="flex flex-col gap-8">
      <h1 className="text-2xl font-bold text-slate-900">Overview</h1>

      <section aria-labelledby="totals-heading">
        <h2 id="totals-heading" className="sr-only">
          Referral totals
        </h2>
        <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
          {stats.map((stat) => (
            <div key={stat.label} className="flex flex-col rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
              <dt className="text-sm font-medium text-slate-700">{stat.label}</dt>
              <dd className="order-first text-3xl font-bold tabular-nums text-slate-900">{stat.value}</dd>
              <dd className="mt-1 text-xs text-slate-600">{stat.hint}</dd>
            </div>
          ))}
        </dl>
      </section>

      {latest.total === 0 ? (
        <Card title="Get your first referrals">
          <p className="text-slate-700">
            No referrals yet. Every patient already has a personal referral link in their patient portal; they just need to
            know about it.
          </p>
          <ol className="mt-3 list-decimal space-y-2 pl-5 text-slate-700">
            <li>Tell patients at the front desk and after visits that they can invite friends from their patient portal.</li>
            <li>
              Point them to your program page,{" "}
              <a href={`/terms/${clinic.slug}`} className="font-medium text-brand-700 underline">
                /terms/{clinic.slug}
              </a>
              , which explains the rewards.
            </li>
            <li>When a new patient&apos;s first paid order is recorded, both patients get their credit automatically.</li>
          </ol>
        </Card>
      ) : (
        <Card title="Latest referrals">
          <ul className="divide-y divide-slate-200">
            {latest.rows.slice(0, 5).map((referral) => (
              <li key={referral.id} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 py-3">
                <p className="text-sm text-slate-800">
                  <span className="font-semibold text-slate-900">{fullName(referral.referee)}</span>, referred by{" "}
                  {fullName(referral.referrer)}
                  <span className="block text-xs text-slate-600">{formatDate(referral.createdAt)}</span>
                </p>
                <ReferralStatusBadge status={referral.status} />
              </li>
            ))}
          </ul>
          <Link href="/console/referrals" className="mt-3 inline-flex min-h-11 items-center font-medium text-brand-700 underline">
            See all referrals ({latest.total})
          </Link>
        </Card>
      )}
    </div>
  );
}
