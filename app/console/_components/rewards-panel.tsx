"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { formatDate } from "@/app/_components/format";
import { Button, StatusBadge } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { formatReward } from "@/server/schemas/money";
import type { RouterOutputs } from "@/server/root";
import { actionError } from "./action-error";
import { ReasonDialog } from "./reason-dialog";
import { refreshQueries } from "@/app/_trpc/refresh";

type Data = RouterOutputs["review"]["patientRewards"];
type Reward = Data["rewards"][number];
type Referral = Data["referrals"][number];
type Action = { kind: "reverse"; reward: Reward } | { kind: "rerun"; referral: Referral };

const STATUS: Record<Reward["status"], { label: string; tone: "neutral" | "good" | "warn" | "bad" }> = {
  released: { label: "Paid out", tone: "good" },
  held: { label: "Held for review", tone: "warn" },
  withheld: { label: "Withheld", tone: "neutral" },
  reversed: { label: "Reversed", tone: "bad" },
};
const SIDE = { referrer: "For referring", referee: "Welcome reward", milestone: "Milestone bonus" } as const;

/** Rules C4 and P13: reverse a reward by hand, or re-check a referral against the rules. */
export function RewardsPanel({ patientId, onDone }: { patientId: string; onDone: (message: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const data = useQuery(trpc.review.patientRewards.queryOptions({ patientId }));
  const reverse = useMutation(trpc.review.reverseReward.mutationOptions());
  const rerun = useMutation(trpc.review.rerun.mutationOptions());
  const [action, setAction] = useState<Action | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function confirm(reason: string): Promise<boolean> {
    if (!action) return false;
    setError(null);
    try {
      if (action.kind === "reverse") {
        const report = await reverse.mutateAsync({ rewardId: action.reward.id, reason });
        onDone(report.alreadyRedeemed > 0 ? `Reward reversed. Part of it was already used and stays used.` : "Reward reversed.");
      } else {
        const result = await rerun.mutateAsync({ referralId: action.referral.id, reason });
        onDone(result.status === "qualified" ? "Rules re-checked: the referral now qualifies." : "Rules re-checked: nothing changed.");
      }
      await Promise.all([refreshQueries(queryClient, trpc.review.pathKey()), refreshQueries(queryClient, trpc.clinic.pathKey())]);
      return true;
    } catch (caught) {
      setError(actionError(caught));
      return false;
    }
  }

  if (data.isError) return <p className="text-sm text-red-700">We couldn&apos;t load the rewards.</p>;
  if (data.isPending) return <p className="text-sm text-slate-700">Loading rewards…</p>;
  return (
    <div className="flex flex-col gap-3">
      <h3 className="font-semibold text-slate-900">Rewards</h3>
      {data.data.rewards.length === 0 ? (
        <p className="text-sm text-slate-700">No rewards yet.</p>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200">
          {data.data.rewards.map((reward) => (
            <li key={reward.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2 text-sm">
              <span>
                {formatDate(reward.createdAt)} · {SIDE[reward.side]}: {formatReward(reward)}{" "}
                <StatusBadge tone={STATUS[reward.status].tone}>{STATUS[reward.status].label}</StatusBadge>
                {reward.statusReason && <span className="block text-xs text-slate-600">{reward.statusReason}</span>}
              </span>
              {(reward.status === "released" || reward.status === "held") && (
                <Button type="button" variant="secondary" onClick={() => setAction({ kind: "reverse", reward })}>
                  Reverse
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      <h3 className="font-semibold text-slate-900">Referrals</h3>
      {data.data.referrals.length === 0 ? (
        <p className="text-sm text-slate-700">Not part of any referral.</p>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200">
          {data.data.referrals.map((referral) => (
            <li key={referral.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2 text-sm">
              <span>
                {referral.description} on {formatDate(referral.createdAt)}
              </span>
              {referral.status === "signed_up" && (
                <Button type="button" variant="secondary" onClick={() => setAction({ kind: "rerun", referral })}>
                  Re-check rules
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {action && (
        <ReasonDialog
          title={action.kind === "reverse" ? "Reverse this reward?" : "Re-check this referral?"}
          confirmLabel={action.kind === "reverse" ? "Reverse reward" : "Re-check"}
          busyLabel={action.kind === "reverse" ? "Reversing…" : "Checking…"}
          variant={action.kind === "reverse" ? "danger" : "primary"}
          busy={reverse.isPending || rerun.isPending}
          error={error}
          onConfirm={confirm}
          onClose={() => {
            setAction(null);
            setError(null);
          }}
        >
          <p>
            {action.kind === "reverse"
              ? "What the reward still holds is taken back. Anything already used stays used; a balance never goes below zero."
              : "If the new patient already did what earns the reward (for example a paid visit while the program was paused), the referral qualifies now."}
          </p>
        </ReasonDialog>
      )}
    </div>
  );
}
