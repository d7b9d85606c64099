"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { formatCents, formatDate } from "@/app/_components/format";
import { Button, StatusBadge } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import type { RouterOutputs } from "@/server/root";
import { actionError } from "./action-error";
import { ReasonDialog } from "./reason-dialog";
import { refreshQueries } from "@/app/_trpc/refresh";

type Order = RouterOutputs["review"]["patientOrders"][number];

const STATUS: Record<Order["status"], { label: string; tone: "neutral" | "good" | "warn" | "bad" }> = {
  paid: { label: "Paid", tone: "good" },
  pending: { label: "Pending", tone: "neutral" },
  declined: { label: "Declined", tone: "bad" },
  refunded: { label: "Refunded", tone: "warn" },
};

/** Rule P13: refund a paid order; unused rewards it earned are reversed within the hold window. */
export function OrdersPanel({ patientId, onDone }: { patientId: string; onDone: (message: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const orders = useQuery(trpc.review.patientOrders.queryOptions({ patientId }));
  const refund = useMutation(trpc.review.refund.mutationOptions());
  const [target, setTarget] = useState<Order | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function confirm(reason: string): Promise<boolean> {
    if (!target) return false;
    setError(null);
    try {
      const result = await refund.mutateAsync({ orderId: target.id, reason });
      onDone(`Refunded the ${formatCents(target.totalCents)} order.${result.reversal ? " Unused rewards it earned were reversed." : ""}`);
      await Promise.all([refreshQueries(queryClient, trpc.review.pathKey()), refreshQueries(queryClient, trpc.clinic.pathKey())]);
      return true;
    } catch (caught) {
      setError(actionError(caught));
      return false;
    }
  }

  return (
    <div className="flex flex-col gap-3">
      <h3 className="font-semibold text-slate-900">Orders</h3>
      {orders.isError ? (
        <p className="text-sm text-red-700">We couldn&apos;t load the orders.</p>
      ) : orders.isPending ? (
        <p className="text-sm text-slate-700">Loading orders…</p>
      ) : orders.data.length === 0 ? (
        <p className="text-sm text-slate-700">No orders yet.</p>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200">
          {orders.data.map((order) => (
            <li key={order.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2 text-sm">
              <span>
                {formatDate(order.createdAt)} · {order.items.map((i) => (i.quantity > 1 ? `${i.quantity} × ${i.name}` : i.name)).join(", ")} ·{" "}
                {formatCents(order.totalCents)} <StatusBadge tone={STATUS[order.status].tone}>{STATUS[order.status].label}</StatusBadge>
              </span>
              {order.status === "paid" && (
                <Button type="button" variant="secondary" onClick={() => setTarget(order)}>
                  Refund<span className="sr-only"> the {formatCents(order.totalCents)} order of {formatDate(order.createdAt)}</span>
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {target && (
        <ReasonDialog
          key={target.id}
          title={`Refund the ${formatCents(target.totalCents)} order?`}
          confirmLabel="Refund order"
          busyLabel="Refunding…"
          variant="danger"
          busy={refund.isPending}
          error={error}
          onConfirm={confirm}
          onClose={() => {
            setTarget(null);
            setError(null);
          }}
        >
          <p>If this order qualified a referral within the hold window, rewards from it that are still unused are reversed. Used ones are reported, never taken into a negative balance.</p>
        </ReasonDialog>
      )}
    </div>
  );
}
