import type { Metadata } from "next";
import Link from "next/link";
import { formatCents } from "@/app/_components/format";
import { serverCaller } from "@/app/_trpc/server";
import { previousMonth } from "@/server/services/partners/payouts";
import { PageHeading, Table, td } from "../_components/table";
import { RunPayoutsForm } from "./run-form";

export const metadata: Metadata = { title: "Payouts" };

/** Rule B6: one run per month; running it again adds only what no run holds yet. */
export default async function Payouts() {
  const runs = await (await serverCaller()).platformB2b.payoutRuns();
  return (
    <div className="flex flex-col gap-6">
      <PageHeading title="Payouts">What each referrer earned from payments received, month by month.</PageHeading>
      <RunPayoutsForm defaultMonth={previousMonth(new Date().toISOString().slice(0, 10))} />
      {runs.length === 0 ? (
        <p className="text-slate-700">No payout runs yet.</p>
      ) : (
        <Table caption="Payout runs, newest first" head={["Month", "Status", "Referrers", "Total"]} minWidth="32rem">
          {runs.map((r) => (
            <tr key={r.id}>
              <th scope="row" className={`${td} text-left`}>
                <Link href={`/platform/payouts/${r.month}`} className="font-semibold text-brand-700 underline">{r.month}</Link>
              </th>
              <td className={td}>{r.status}</td>
              <td className={td}>{r.itemCount}</td>
              <td className={td}>{formatCents(r.totalCents)}</td>
            </tr>
          ))}
        </Table>
      )}
    </div>
  );
}
