"use client";

import { useQuery } from "@tanstack/react-query";
import { formatCents, formatDate } from "@/app/_components/format";
import { Card, StatusBadge } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { LoadError, Loading } from "@/app/portal/_components/query-state";
import type { RouterOutputs } from "@/server/root";

type Order = RouterOutputs["portal"]["orders"][number];

const STATUS: Record<Order["status"], { label: string; tone: "good" | "warn" | "bad" }> = {
  paid: { label: "Paid", tone: "good" },
  pending: { label: "Processing", tone: "warn" },
  declined: { label: "Declined", tone: "bad" },
  refunded: { label: "Refunded", tone: "warn" },
};

export function OrderList() {
  const trpc = useTRPC();
  const orders = useQuery(trpc.portal.orders.queryOptions());

  if (orders.isPending) return <Loading what="your orders" />;
  if (orders.isError) return <LoadError what="your orders" error={orders.error} onRetry={() => void orders.refetch()} />;
  if (orders.data.length === 0) {
    return (
      <Card>
        <p className="text-slate-700">No orders yet. When you book and pay for a visit, it will appear here.</p>
      </Card>
    );
  }

  return (
    <Card className="px-3 sm:px-5">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Your orders, newest first</caption>
        <thead className="border-b border-slate-200 text-slate-600">
          <tr>
            <th scope="col" className="py-2 pr-3 font-semibold">
              Order
            </th>
            <th scope="col" className="py-2 text-right font-semibold">
              Amounts
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {orders.data.map((order) => (
            <OrderRow key={order.id} order={order} />
          ))}
        </tbody>
      </table>
    </Card>
  );
}

function OrderRow({ order }: { order: Order }) {
  const status = STATUS[order.status];
  return (
    <tr className="align-top">
      <th scope="row" className="py-3 pr-3 font-normal">
        <span className="block font-semibold text-slate-900">{formatDate(order.createdAt)}</span>
        <span className="block text-slate-700">
          {order.items.map((line) => (line.quantity > 1 ? `${line.name} × ${line.quantity}` : line.name)).join(", ")}
        </span>
        <span className="mt-1 block">
          <StatusBadge tone={status.tone}>{status.label}</StatusBadge>
        </span>
        {order.status === "declined" && order.declineReason && (
          <span className="mt-1 block text-red-800">{order.declineReason}</span>
        )}
      </th>
      <td className="py-3 text-right">
        {/* Rule P9: how much the credit covered, on every order. */}
        <dl className="grid grid-cols-[auto_auto] justify-end gap-x-3 gap-y-0.5 whitespace-nowrap tabular-nums">
          <dt className="text-slate-600">Total</dt>
          <dd className="font-semibold text-slate-900">{formatCents(order.totalCents)}</dd>
          <dt className="text-slate-600">Credit applied</dt>
          <dd className="text-slate-900">{creditText(order)}</dd>
          <dt className="text-slate-600">Charged</dt>
          <dd className="text-slate-900">{formatCents(order.status === "declined" ? 0 : order.chargedCents)}</dd>
        </dl>
        {order.cardLast4 && <p className="mt-1 text-xs text-slate-600">Card ending {order.cardLast4}</p>}
      </td>
    </tr>
  );
}

/** A declined order gave its credit back to the balance (rule P9), so it used none. */
function creditText(order: Order): string {
  if (order.creditAppliedCents === 0) return formatCents(0);
  if (order.status === "declined") return "Returned";
  return `-${formatCents(order.creditAppliedCents)}`;
}
