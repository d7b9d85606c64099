import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatCents } from "@/app/_components/format";
import { serverCaller } from "@/app/_trpc/server";
import { Table, td } from "../../_components/table";
import { ApproveRun, MarkPaid } from "./item-actions";

export const metadata: Metadata = { title: "Payout run" };

export default async function PayoutRun({ params }: { params: Promise<{ month: string }> }) {
  const { month } = await params;
  const detail = await (await serverCaller()).platformB2b.payoutRun({ month }).catch(() => null);
  if (!detail) notFound();
  const { run, items } = detail;
  const total = items.reduce((t, i) => t + i.totalCents, 0);
  return (
    <div className="flex flex-col gap-6">
      <div>
        <Link href="/platform/payouts" className="text-sm text-brand-700 underline">← Payouts</Link>
        <h1 className="mt-2 text-2xl font-bold text-slate-900">Payouts for {run.month}</h1>
        <p className="mt-1 text-slate-700">
          {run.status === "draft" ? "Draft: running the month again adds any newly earned rewards." : "Approved: this run is closed."} Total {formatCents(total)}.
        </p>
      </div>
      <div className="flex flex-wrap gap-3">
        {run.status === "draft" && <ApproveRun month={run.month} />}
        <a href={`/platform/payouts/${run.month}/export`} className="inline-flex min-h-11 items-center rounded-lg border border-slate-300 px-4 text-sm font-semibold" download>
          Download CSV
        </a>
      </div>
      <Table caption="One line per referrer" head={["Referrer", "Total", "Status", "Statement", ""]}>
        {items.map((i) => (
          <tr key={i.id}>
            <th scope="row" className={`${td} text-left font-semibold`}>
              {i.referrerName}
              <p className="text-xs font-normal text-slate-600">{i.organization} · {i.referrerEmail}</p>
            </th>
            <td className={td}>{formatCents(i.totalCents)}</td>
            <td className={td}>{i.status === "paid" ? `Paid · ${i.paidReference}` : "Pending"}</td>
            <td className={td}>
              <Link href={`/platform/payouts/${run.month}/statements/${i.referrerId}`} className="text-brand-700 underline">
                Statement<span className="sr-only"> for {i.referrerName}</span>
              </Link>
            </td>
            <td className={td}>{run.status === "approved" && i.status === "pending" && <MarkPaid itemId={i.id} name={i.referrerName} />}</td>
          </tr>
        ))}
      </Table>
    </div>
  );
}
