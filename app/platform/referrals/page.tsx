import type { Metadata } from "next";
import Link from "next/link";
import { formatDate } from "@/app/_components/format";
import { StatusBadge } from "@/app/_components/ui";
import { serverCaller } from "@/app/_trpc/server";
import { B2B_REFERRAL_STATUSES } from "@/db/schema";
import { PageHeading, Table, td } from "../_components/table";

export const metadata: Metadata = { title: "Practice referrals" };

const FILTERS = ["open", ...B2B_REFERRAL_STATUSES, "all"] as const;
type Filter = (typeof FILTERS)[number];

/** Rule B3: the review queue, open work oldest first. */
export default async function ReferralsQueue({ searchParams }: { searchParams: Promise<{ status?: string }> }) {
  const requested = (await searchParams).status;
  const status: Filter = FILTERS.includes(requested as Filter) ? (requested as Filter) : "open";
  const rows = await (await serverCaller()).platformB2b.queue({ status });
  return (
    <div className="flex flex-col gap-6">
      <PageHeading title="Practice referrals">Submissions from the partner form, screened automatically; people decide.</PageHeading>
      <nav aria-label="Filter by status">
        <ul className="flex flex-wrap gap-2 text-sm">
          {FILTERS.map((f) => (
            <li key={f}>
              <Link href={`/platform/referrals?status=${f}`} aria-current={f === status ? "page" : undefined} className={`inline-flex min-h-11 items-center rounded-lg border px-3 ${f === status ? "border-brand-600 bg-brand-50 font-semibold" : "border-slate-300"}`}>
                {f.replace("_", " ")}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {rows.length === 0 ? (
        <p className="text-slate-700">Nothing here.</p>
      ) : (
        <Table caption={`${rows.length} referral(s)`} head={["Practice", "Status", "Flags", "Referred by", "Submitted"]}>
          {rows.map((r) => (
            <tr key={r.id}>
              <th scope="row" className={`${td} text-left font-semibold`}>
                <Link href={`/platform/referrals/${r.id}`} className="text-brand-700 underline">
                  {r.practiceName}
                </Link>
                <p className="text-xs font-normal text-slate-600">
                  {r.city}, {r.region} {r.country}
                </p>
              </th>
              <td className={td}>
                <StatusBadge tone={r.status === "rejected" ? "bad" : r.status === "won" || r.status === "accepted" ? "good" : r.status === "duplicate" ? "warn" : "neutral"}>{r.status.replace("_", " ")}</StatusBadge>
              </td>
              <td className={`${td} text-slate-700`}>{r.flags.length ? r.flags.map((f) => f.kind.replaceAll("_", " ")).join(", ") : "none"}</td>
              <td className={td}>
                {r.referrerName}
                <p className="text-xs text-slate-600">{r.referrerOrganization}</p>
              </td>
              <td className={`${td} whitespace-nowrap`}>{formatDate(r.createdAt)}</td>
            </tr>
          ))}
        </Table>
      )}
    </div>
  );
}
