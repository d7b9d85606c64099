import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatCents, formatDate } from "@/app/_components/format";
import { Card, StatusBadge } from "@/app/_components/ui";
import { serverCaller } from "@/app/_trpc/server";
import { env } from "@/server/env";
import { dateIn } from "@/server/schemas/time-zone";
import { Table, td } from "../../_components/table";
import { ReferralActions } from "./actions";

export const metadata: Metadata = { title: "Practice referral" };

export default async function ReferralDetail({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const detail = await (await serverCaller()).platformB2b.referral({ referralId: id }).catch(() => null);
  if (!detail) notFound();
  const { referral: r, events, payments, rewards } = detail;
  return (
    <div className="flex flex-col gap-6">
      <div>
        <Link href="/platform/referrals" className="text-sm text-brand-700 underline">
          ← Review queue
        </Link>
        <h1 className="mt-2 text-2xl font-bold text-slate-900">{r.practiceName}</h1>
        <p className="mt-1 flex flex-wrap items-center gap-2 text-slate-700">
          <StatusBadge tone="neutral">{r.status.replace("_", " ")}</StatusBadge> submitted {formatDate(r.createdAt)} · plan {r.rewardPlan.replace("_", " ")}
          {r.duplicateOfId && (
            <Link href={`/platform/referrals/${r.duplicateOfId}`} className="text-brand-700 underline">
              duplicate of the first referral
            </Link>
          )}
        </p>
      </div>
      {r.flags.length > 0 && (
        <Card title="Screening flags">
          <ul className="list-disc space-y-1 pl-5 text-sm text-slate-800">
            {r.flags.map((f) => (
              <li key={f.kind + f.evidence}>
                <strong>{f.kind.replaceAll("_", " ")}</strong>: {f.evidence}
              </li>
            ))}
          </ul>
        </Card>
      )}
      <div className="grid gap-4 md:grid-cols-2">
        <Card title="Practice">
          <dl className="grid grid-cols-[8rem_1fr] gap-1 text-sm">
            <dt className="text-slate-600">Contact</dt><dd>{r.contactName}</dd>
            <dt className="text-slate-600">Email</dt><dd>{r.practiceEmail}</dd>
            <dt className="text-slate-600">Phone</dt><dd>{r.practicePhone}</dd>
            <dt className="text-slate-600">Website</dt><dd>{r.website ?? "—"}</dd>
            <dt className="text-slate-600">Address</dt><dd>{r.addressLine}, {r.city}, {r.region} {r.postalCode}, {r.country}</dd>
          </dl>
        </Card>
        <Card title="Referred by">
          <dl className="grid grid-cols-[8rem_1fr] gap-1 text-sm">
            <dt className="text-slate-600">Name</dt><dd>{r.referrerName}</dd>
            <dt className="text-slate-600">Email</dt><dd>{r.referrerEmail}</dd>
            <dt className="text-slate-600">Phone</dt><dd>{r.referrerPhone}</dd>
            <dt className="text-slate-600">Organization</dt><dd>{r.referrerOrganization}</dd>
            <dt className="text-slate-600">Relationship</dt><dd>{r.relationship.replaceAll("_", " ")}</dd>
          </dl>
        </Card>
      </div>
      {r.status === "won" && (
        <Card title="Contract">
          <p className="text-sm">
            {r.plan} · {formatCents(r.monthlyFeeCents ?? 0)} a month · started {r.contractStart} · launched {r.launchDate}
            {r.contractEnd ? ` · ended ${r.contractEnd}` : ""}
          </p>
        </Card>
      )}
      {r.rejectionReason && <Card title="Rejection reason (shown to the referrer)"><p className="text-sm">{r.rejectionReason}</p></Card>}
      <ReferralActions referralId={r.id} status={r.status} duplicate={!!r.duplicateOfId} today={dateIn(env.PLATFORM_TIME_ZONE)} />
      {payments.length > 0 && (
        <Table caption="Payments received" head={["Received", "Kind", "Amount", "Period"]} minWidth="32rem">
          {payments.map((p) => (
            <tr key={p.id}>
              <td className={td}>{p.receivedOn}</td><td className={td}>{p.kind}</td><td className={td}>{formatCents(p.amountCents)}</td><td className={td}>{p.periodStart} – {p.periodEnd}</td>
            </tr>
          ))}
        </Table>
      )}
      {rewards.length > 0 && (
        <Table caption="Rewards earned by the referrer" head={["Earned", "Amount", "Settlement", "Memo"]} minWidth="32rem">
          {rewards.map((w) => (
            <tr key={w.id}>
              <td className={td}>{w.earnedOn}</td><td className={td}>{formatCents(w.amountCents)}</td><td className={td}>{w.settlement.replace("_", " ")}{w.applyOn ? ` on ${w.applyOn}` : ""}</td><td className={td}>{w.memo}</td>
            </tr>
          ))}
        </Table>
      )}
      <Card title="History">
        <ol className="space-y-1 text-sm">
          {events.map((e) => (
            <li key={e.id}>
              {formatDate(e.createdAt)}: {e.kind.replaceAll("_", " ")}
            </li>
          ))}
        </ol>
      </Card>
    </div>
  );
}
