import type { Metadata } from "next";
import Link from "next/link";
import { Alert, Card } from "@/app/_components/ui";
import { serverCaller } from "@/app/_trpc/server";
import { filterQuery, referralFilter, type ReferralFilter } from "@/server/schemas/filters";
import { ReferralFilters } from "./referral-filters";
import { ReferralsTable } from "./referrals-table";

export const metadata: Metadata = { title: "Referrals" };

const PAGE_SIZE = 50;

function pageFrom(raw: string | string[] | undefined): number {
  const page = Number(Array.isArray(raw) ? raw[0] : raw);
  return Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1;
}

export default async function ReferralsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const page = pageFrom(params.page);
  const one = (raw: string | string[] | undefined) => (Array.isArray(raw) ? raw[0] : raw);
  const raw = { status: one(params.status), from: one(params.from), to: one(params.to) };
  const parsed = referralFilter.safeParse(raw);
  const filter: ReferralFilter = parsed.success ? parsed.data : {};
  const { total, rows } = await (await serverCaller()).clinic.referrals({ page, filter });
  const first = (page - 1) * PAGE_SIZE + 1;
  const last = first + rows.length - 1;
  const lastPage = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-bold text-slate-900">Referrals</h1>
        <p className="mt-1 text-slate-700">
          Every new patient who signed up with a patient&apos;s referral link or code. Rewards are the terms in force when
          they signed up.
        </p>
      </div>

      <ReferralFilters raw={raw} filter={filter} />
      {!parsed.success && <Alert>{parsed.error.issues[0]?.message}</Alert>}

      {rows.length === 0 && page > 1 ? (
        <Card>
          <p className="text-slate-700">
            There is no page {page}.{" "}
            <Link href={`/console/referrals${filterQuery(filter)}`} className="font-medium text-brand-700 underline">
              Go to the first page
            </Link>
          </p>
        </Card>
      ) : rows.length === 0 && filterQuery(filter) ? (
        <Card>
          <p className="text-slate-700">No referrals match this filter.</p>
        </Card>
      ) : rows.length === 0 ? (
        <Card>
          <p className="text-slate-700">
            No referrals yet. They appear here as soon as a new patient signs up with a patient&apos;s link or code.
          </p>
        </Card>
      ) : (
        <>
          <ReferralsTable rows={rows} />
          <nav aria-label="Referral pages" className="flex flex-wrap items-center justify-between gap-3">
            <p className="text-sm text-slate-700">
              Showing {first}–{last} of {total}
            </p>
            <div className="flex gap-2">
              <PageLink page={page - 1} filter={filter} disabled={page <= 1} rel="prev">
                Previous
              </PageLink>
              <PageLink page={page + 1} filter={filter} disabled={page >= lastPage} rel="next">
                Next
              </PageLink>
            </div>
          </nav>
        </>
      )}
    </div>
  );
}

const pageLinkClass = "inline-flex min-h-11 items-center rounded-lg border px-4 text-sm font-semibold";

function PageLink({ page, filter, disabled, rel, children }: { page: number; filter: ReferralFilter; disabled: boolean; rel: string; children: string }) {
  if (disabled) {
    return (
      <span aria-disabled="true" className={`${pageLinkClass} border-slate-200 text-slate-500`}>
        {children}
      </span>
    );
  }
  return (
    <Link href={`/console/referrals${filterQuery({ ...filter, page: page === 1 ? undefined : String(page) })}`} rel={rel} className={`${pageLinkClass} border-slate-300 bg-white text-slate-800 hover:bg-slate-100`}>
      {children}
    </Link>
  );
}
