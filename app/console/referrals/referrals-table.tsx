import { formatDate } from "@/app/_components/format";
import { formatReward } from "@/server/schemas/money";
import { INELIGIBLE_REASON_TEXT } from "@/server/services/referrals/referrals";
import { fullName, ReferralStatusBadge, type ConsoleReferral } from "../_components/referral-status";

const SOURCE_LABEL = { link: "Shared link", typed_code: "Typed code", staff: "Added by staff" } as const;

const th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600";
const td = "px-3 py-3 align-top";

export function ReferralsTable({ rows }: { rows: ConsoleReferral[] }) {
  return (
    <div className="relative overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
      <table className="w-full min-w-[48rem] border-collapse text-sm">
        <caption className="px-3 pt-3 text-left text-sm font-medium text-slate-700">Referrals, newest first</caption>
        <thead className="border-b border-slate-200">
          <tr>
            <th scope="col" className={th}>New patient</th>
            <th scope="col" className={th}>Status</th>
            <th scope="col" className={th}>Referrer</th>
            <th scope="col" className={th}>Rewards</th>
            <th scope="col" className={th}>Source</th>
            <th scope="col" className={th}>Date</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {rows.map((referral) => (
            <tr key={referral.id}>
              <th scope="row" className={`${td} text-left font-semibold text-slate-900`}>
                {fullName(referral.referee)}
              </th>
              <td className={`${td} min-w-48 max-w-64`}>
                <ReferralStatusBadge status={referral.status} />
                {/* Rule P6: staff see why a referral earns nothing. */}
                {referral.status === "ineligible" && referral.ineligibleReason && (
                  <p className="mt-1 text-xs text-slate-700">{reasonText(referral.ineligibleReason)}</p>
                )}
                {referral.status === "qualified" && referral.qualifiedAt && (
                  <p className="mt-1 text-xs text-slate-600">on {formatDate(referral.qualifiedAt)}</p>
                )}
              </td>
              <td className={td}>{fullName(referral.referrer)}</td>
              <td className={`${td} text-slate-700`}>
                <Rewards referral={referral} />
              </td>
              <td className={`${td} whitespace-nowrap text-slate-700`}>{SOURCE_LABEL[referral.source]}</td>
              <td className={`${td} whitespace-nowrap text-slate-700`}>{formatDate(referral.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function reasonText(reason: string): string {
  return reason in INELIGIBLE_REASON_TEXT ? INELIGIBLE_REASON_TEXT[reason as keyof typeof INELIGIBLE_REASON_TEXT] : "Not eligible for a reward.";
}

/** Rule P14: the amounts kept from sign-up, not today's settings. */
function Rewards({ referral }: { referral: ConsoleReferral }) {
  if (referral.status === "ineligible") return <span>No rewards</span>;
  return (
    <>
      <dl className="grid grid-cols-[auto_auto] justify-start gap-x-2 whitespace-nowrap">
        <dt>Referrer</dt>
        <dd className="font-medium tabular-nums text-slate-900">{formatReward(referral.referrerReward)}</dd>
        <dt>New patient</dt>
        <dd className="font-medium tabular-nums text-slate-900">{formatReward(referral.refereeReward)}</dd>
      </dl>
      {referral.status === "signed_up" && <p className="mt-1 text-xs text-slate-600">Paid after the first paid order</p>}
    </>
  );
}
