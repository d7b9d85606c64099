import Link from "next/link";
import { Card } from "@/app/_components/ui";
import { filterQuery, type ReferralFilter } from "@/server/schemas/filters";

const field = "min-h-11 rounded-lg border border-slate-300 bg-white px-3 py-2 text-base text-slate-900 shadow-sm";
const secondaryLink = "inline-flex min-h-11 items-center rounded-lg border border-slate-300 bg-white px-4 text-sm font-semibold text-slate-800 hover:bg-slate-100";

const STATUS_OPTIONS = [
  { value: "", label: "All statuses" },
  { value: "signed_up", label: "Signed up" },
  { value: "qualified", label: "Qualified" },
  { value: "ineligible", label: "Not eligible" },
];

/** Rule C6: the list's filter, and exports that carry it. A plain GET form: works before scripts load. */
export function ReferralFilters({ raw, filter }: { raw: Record<string, string | undefined>; filter: ReferralFilter }) {
  const range = filterQuery({ from: filter.from, to: filter.to });
  return (
    <Card>
      <form method="get" action="/console/referrals" aria-label="Filter referrals" className="grid gap-4 sm:grid-cols-3">
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">
          Status
          <select name="status" defaultValue={raw.status ?? ""} className={field}>
            {STATUS_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">
          Signed up from (UTC)
          <input type="date" name="from" defaultValue={raw.from ?? ""} className={field} />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">
          Signed up to (UTC)
          <input type="date" name="to" defaultValue={raw.to ?? ""} className={field} />
        </label>
        <div className="flex flex-wrap gap-2 sm:col-span-3">
          <button type="submit" className="inline-flex min-h-11 items-center rounded-lg bg-brand-600 px-4 text-sm font-semibold text-white hover:bg-brand-700">
            Apply filter
          </button>
          <Link href="/console/referrals" className={secondaryLink}>
            Clear
          </Link>
          <div className="flex flex-wrap gap-2 sm:ml-auto">
            <a href={`/api/export/referrals${filterQuery(filter)}`} className={secondaryLink} download>
              Export referrals CSV
            </a>
            <a href={`/api/export/ledger${range}`} className={secondaryLink} download>
              Export credit ledger CSV<span className="sr-only"> for the same dates</span>
            </a>
          </div>
        </div>
      </form>
    </Card>
  );
}
