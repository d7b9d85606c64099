"use client";

import { useQuery } from "@tanstack/react-query";
import { formatCents, formatDate } from "@/app/_components/format";
import { Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { LoadError, Loading } from "@/app/portal/_components/query-state";
import { ConvertPoints } from "./convert-points";
import type { RouterOutputs } from "@/server/root";

type Entry = RouterOutputs["portal"]["ledger"][number];

const KIND_LABEL: Record<Entry["kind"], string> = {
  grant: "Reward",
  adjustment: "Adjustment by the clinic",
  redemption: "Applied to an order",
  redemption_release: "Returned to your balance",
  expiry: "Expired",
  reversal: "Reversed",
};

/** Credit in dollars, points as points (rule P8). */
function signed(entry: Pick<Entry, "unit" | "amountCents">): string {
  const shown = entry.unit === "points" ? `${entry.amountCents.toLocaleString("en-US")} points` : formatCents(entry.amountCents);
  return entry.amountCents > 0 ? `+${shown}` : shown;
}

/** Rules P9 and P15: the balance and every entry behind it. */
export function CreditHistory() {
  const trpc = useTRPC();
  const overview = useQuery(trpc.portal.overview.queryOptions());
  const ledger = useQuery(trpc.portal.ledger.queryOptions());

  return (
    <>
      <Card title="Balance">
        {overview.isPending ? (
          <Loading what="your balance" />
        ) : overview.isError ? (
          <LoadError what="your balance" error={overview.error} onRetry={() => void overview.refetch()} />
        ) : (
          <p className="text-3xl font-bold text-slate-900" data-testid="credit-balance">
            {formatCents(overview.data.balanceCents)}
          </p>
        )}
        {/* Rule P9: nobody has to redeem anything by hand. */}
        <p className="mt-1 text-sm text-slate-700">
          Your credit is applied automatically to your next order, up to the order total. Whatever is left stays for
          the order after.
        </p>
      </Card>

      {overview.data && overview.data.pointsBalance > 0 && <ConvertPoints pointsBalance={overview.data.pointsBalance} />}

      <Card title="History">
        {ledger.isPending ? (
          <Loading what="your credit history" />
        ) : ledger.isError ? (
          <LoadError what="your credit history" error={ledger.error} onRetry={() => void ledger.refetch()} />
        ) : ledger.data.length === 0 ? (
          <p className="text-slate-700">
            No credit yet. You earn credit when a friend you referred completes their first paid visit.
          </p>
        ) : (
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Credit history, newest first</caption>
            <thead className="border-b border-slate-200 text-slate-600">
              <tr>
                <th scope="col" className="py-2 pr-3 font-semibold">
                  Date
                </th>
                <th scope="col" className="py-2 pr-3 font-semibold">
                  What
                </th>
                <th scope="col" className="py-2 text-right font-semibold">
                  Amount
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200">
              {ledger.data.map((entry) => (
                <tr key={entry.id} className="align-top">
                  <td className="py-3 pr-3 whitespace-nowrap text-slate-700">{formatDate(entry.createdAt)}</td>
                  <th scope="row" className="py-3 pr-3 font-normal">
                    <span className="block font-semibold text-slate-900">{entry.memo || KIND_LABEL[entry.kind]}</span>
                    {entry.expiresAt && <span className="block text-slate-600">Expires {formatDate(entry.expiresAt)}</span>}
                  </th>
                  <td
                    className={`py-3 text-right font-semibold whitespace-nowrap tabular-nums ${entry.amountCents > 0 ? "text-emerald-800" : "text-slate-900"}`}
                  >
                    {signed(entry)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  );
}
