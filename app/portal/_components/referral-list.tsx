"use client";

import { useQuery } from "@tanstack/react-query";
import { formatDate } from "@/app/_components/format";
import { Card, StatusBadge } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { LoadError, Loading } from "./query-state";
import { referralStatus } from "./referral-status";

/** Rule P15: the people who joined through the patient's link, as "Jane D." only. */
export function ReferralList() {
  const trpc = useTRPC();
  const referrals = useQuery(trpc.portal.referrals.queryOptions());

  return (
    <Card title="Your referrals">
      {referrals.isPending ? (
        <Loading what="your referrals" />
      ) : referrals.isError ? (
        <LoadError what="your referrals" error={referrals.error} onRetry={() => void referrals.refetch()} />
      ) : referrals.data.length === 0 ? (
        <div className="text-slate-700">
          <p className="font-medium">No referrals yet.</p>
          <p className="mt-1 text-sm">
            Send your link to a friend or family member. When they sign up, they&apos;ll appear here and you can follow
            their progress.
          </p>
        </div>
      ) : (
        <ul className="divide-y divide-slate-200">
          {referrals.data.map((referral) => {
            const status = referralStatus(referral);
            return (
              <li key={referral.id} className="flex flex-col gap-1 py-3 first:pt-0 last:pb-0">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <p className="font-semibold text-slate-900">{referral.refereeName}</p>
                  <StatusBadge tone={status.tone}>{status.badge}</StatusBadge>
                </div>
                <p className="text-sm text-slate-700">{status.text}</p>
                <p className="text-xs text-slate-600">
                  Joined {formatDate(referral.createdAt)}
                  {referral.qualifiedAt && ` · Visit ${formatDate(referral.qualifiedAt)}`}
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}
