"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { formatDate } from "@/app/_components/format";
import { Alert, Button, StatusBadge } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import type { RouterOutputs } from "@/server/root";
import { actionError } from "../_components/action-error";
import { ReasonDialog } from "../_components/reason-dialog";
import { flagText } from "./flag-text";
import { refreshQueries } from "@/app/_trpc/refresh";

type Item = RouterOutputs["review"]["queue"][number];
type Decision = { item: Item; kind: "approve" | "reject" };

const name = (p: Item["referrer"]) => `${p.firstName} ${p.lastName}`;

/** Rule P6: flagged referrals, their evidence, and the decision that releases or withholds their rewards. */
export function ReviewQueue() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const queue = useQuery(trpc.review.queue.queryOptions());
  const approve = useMutation(trpc.review.approve.mutationOptions());
  const reject = useMutation(trpc.review.reject.mutationOptions());
  const [decision, setDecision] = useState<Decision | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState("");
  const heading = useRef<HTMLHeadingElement>(null);

  const refresh = () => refreshQueries(queryClient, trpc.review.queue.queryKey());

  async function decide(reason: string): Promise<boolean> {
    if (!decision) return false;
    const { item, kind } = decision;
    setError(null);
    try {
      if (kind === "approve") await approve.mutateAsync({ referralId: item.id, reason });
      else await reject.mutateAsync({ referralId: item.id, reason });
      setDone(
        kind === "approve"
          ? `Approved the referral of ${name(item.referee)} by ${name(item.referrer)}. Held rewards are released.`
          : `Rejected the referral of ${name(item.referee)} by ${name(item.referrer)}. Its rewards are withheld.`,
      );
      await refresh();
      return true;
    } catch (caught) {
      setError(actionError(caught));
      // Someone else may have decided it: show the queue as it is now.
      void refresh();
      return false;
    }
  }

  function close() {
    setDecision(null);
    setError(null);
    // The row the dialog came from may be gone; the list heading is a stable place to land.
    heading.current?.focus();
  }

  const items = queue.data ?? [];
  return (
    <div className="flex flex-col gap-4">
      <div role="status" aria-live="polite">
        {done && <div className="rounded-lg border border-emerald-300 bg-emerald-50 px-4 py-3 text-sm font-medium text-emerald-900">{done}</div>}
      </div>
      <h2 ref={heading} tabIndex={-1} className="text-lg font-semibold text-slate-900">
        Waiting for review{queue.data ? ` (${items.length})` : ""}
      </h2>
      {queue.isError ? (
        <Alert>We couldn&apos;t load the review queue. Check your connection and reload the page.</Alert>
      ) : queue.isPending ? (
        <p className="text-slate-700">Loading…</p>
      ) : items.length === 0 ? (
        <p className="rounded-xl border border-slate-200 bg-white p-5 text-slate-700 shadow-sm">Nothing waiting for review</p>
      ) : (
        <ul className="flex flex-col gap-4">
          {items.map((item) => (
            <li key={item.id} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm" aria-labelledby={`review-${item.id}`}>
              <h3 id={`review-${item.id}`} className="font-semibold text-slate-900">
                {name(item.referee)} referred by {name(item.referrer)}
              </h3>
              <p className="mt-1 text-sm text-slate-700 [overflow-wrap:anywhere]">
                New patient {item.referee.email} · referrer {item.referrer.email} · signed up {formatDate(item.createdAt)} ·{" "}
                <StatusBadge tone="warn">{item.status === "qualified" ? "Qualified, rewards held" : "Signed up"}</StatusBadge>
              </p>
              <ul className="mt-3 flex flex-col gap-2" aria-label="Why it is flagged">
                {item.flags.map((flag) => (
                  <li key={flag.kind} className="rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-950">
                    {flagText(flag)}
                  </li>
                ))}
              </ul>
              <div className="mt-4 flex flex-wrap gap-3">
                <Button type="button" onClick={() => setDecision({ item, kind: "approve" })}>
                  Approve<span className="sr-only"> the referral of {name(item.referee)}</span>
                </Button>
                <Button type="button" variant="secondary" onClick={() => setDecision({ item, kind: "reject" })}>
                  Reject<span className="sr-only"> the referral of {name(item.referee)}</span>
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}

      {decision && (
        <ReasonDialog
          key={`${decision.item.id}-${decision.kind}`}
          title={decision.kind === "approve" ? "Approve this referral?" : "Reject this referral?"}
          confirmLabel={decision.kind === "approve" ? "Approve referral" : "Reject referral"}
          busyLabel={decision.kind === "approve" ? "Approving…" : "Rejecting…"}
          variant={decision.kind === "approve" ? "primary" : "danger"}
          busy={approve.isPending || reject.isPending}
          error={error}
          onConfirm={decide}
          onClose={close}
        >
          <p>
            {name(decision.item.referee)}, referred by {name(decision.item.referrer)}.{" "}
            {decision.kind === "approve"
              ? "Held rewards are released now, or when the referral qualifies."
              : "The referral becomes not eligible and its rewards are withheld. The referrer sees that the clinic declined it."}
          </p>
        </ReasonDialog>
      )}
    </div>
  );
}
