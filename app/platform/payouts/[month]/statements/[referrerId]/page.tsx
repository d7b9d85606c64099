import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { formatCents } from "@/app/_components/format";
import { serverCaller } from "@/app/_trpc/server";
import { Table, td } from "../../../../_components/table";

export const metadata: Metadata = { title: "Payout statement" };

/** Rule B6: a printable statement of one referrer's month. */
export default async function Statement({ params }: { params: Promise<{ month: string; referrerId: string }> }) {
  const { month, referrerId } = await params;
  const lines = await (await serverCaller()).platformB2b.payoutLines({ month, referrerId }).catch(() => null);
  const first = lines?.[0];
  if (!lines || !first) notFound();
  const total = lines.reduce((t, l) => t + l.amountCents, 0);
  return (
    <article className="flex flex-col gap-4 print:text-black">
      <h1 className="text-2xl font-bold text-slate-900">Partner statement · {month}</h1>
      <p>
        {first.referrerName}, {first.organization} ({first.referrerEmail})
      </p>
      <Table caption="Rewards in this payout" head={["Practice", "Earned on", "Plan", "Settlement", "Detail", "Amount"]}>
        {lines.map((l, index) => (
          <tr key={`${l.practiceName}-${index}`}>
            <td className={td}>{l.practiceName}</td>
            <td className={td}>{l.earnedOn}</td>
            <td className={td}>{l.plan.replace("_", " ")}</td>
            <td className={td}>{l.settlement.replace("_", " ")}{l.applyOn ? ` on ${l.applyOn}` : ""}</td>
            <td className={td}>{l.memo}</td>
            <td className={`${td} text-right tabular-nums`}>{formatCents(l.amountCents)}</td>
          </tr>
        ))}
      </Table>
      <p className="text-lg">
        Total: <strong>{formatCents(total)}</strong> · {first.itemStatus === "paid" ? `paid, reference ${first.paidReference}` : "pending"}
      </p>
    </article>
  );
}
