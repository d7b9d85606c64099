import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/app/_auth/require";
import { Alert, Card } from "@/app/_components/ui";
import { serverCaller } from "@/app/_trpc/server";
import { auditFilter, cursorField, filterQuery, type AuditFilter } from "@/server/schemas/filters";
import { SettingsNav } from "../_components/settings-nav";
import { Changes } from "./changes";

export const metadata: Metadata = { title: "Audit log" };

const th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600";
const td = "px-3 py-3 align-top";
const field = "min-h-11 rounded-lg border border-slate-300 bg-white px-3 py-2 text-base text-slate-900 shadow-sm";
const secondaryLink = "inline-flex min-h-11 items-center rounded-lg border border-slate-300 bg-white px-4 text-sm font-semibold text-slate-800 hover:bg-slate-100";

const one = (raw: string | string[] | undefined) => (Array.isArray(raw) ? raw[0] : raw);
const when = (date: Date) => `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** Rule C4: who did what and why, newest first; nobody can edit it. */
export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireActor("admin");
  const params = await searchParams;
  const raw = { action: one(params.action), actor: one(params.actor), from: one(params.from), to: one(params.to) };
  const parsedFilter = auditFilter.safeParse(raw);
  const parsedCursor = cursorField.safeParse(one(params.cursor));
  const filter: AuditFilter = parsedFilter.success ? parsedFilter.data : {};
  const problem = !parsedFilter.success ? parsedFilter.error.issues[0]?.message : !parsedCursor.success ? parsedCursor.error.issues[0]?.message : null;

  const caller = await serverCaller();
  const [options, page] = await Promise.all([
    caller.audit.filterOptions(),
    caller.audit.list({ filter, cursor: parsedCursor.success ? parsedCursor.data : undefined }).catch(() => null),
  ]);
  const query = filterQuery(filter);

  return (
    <div className="flex flex-col gap-6">
      <SettingsNav />
      <div>
        <h1 className="text-2xl font-bold text-slate-900">Audit log</h1>
        <p className="mt-1 text-slate-700">Every staff action, settings change and export, with its reason. Entries cannot be edited or deleted.</p>
      </div>

      <Card>
        <form method="get" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4" aria-label="Filter the audit log">
          <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">
            Action
            <select name="action" defaultValue={raw.action ?? ""} className={field}>
              <option value="">All actions</option>
              {options.actions.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">
            Staff member
            <select name="actor" defaultValue={raw.actor ?? ""} className={field}>
              <option value="">Everyone</option>
              {options.staff.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.firstName} {s.lastName}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">
            From (UTC)
            <input type="date" name="from" defaultValue={raw.from ?? ""} className={field} />
          </label>
          <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">
            To (UTC)
            <input type="date" name="to" defaultValue={raw.to ?? ""} className={field} />
          </label>
          <div className="flex flex-wrap gap-2 sm:col-span-2 lg:col-span-4">
            <button type="submit" className="inline-flex min-h-11 items-center rounded-lg bg-brand-600 px-4 text-sm font-semibold text-white hover:bg-brand-700">
              Apply filter
            </button>
            <Link href="/console/settings/audit" className={secondaryLink}>
              Clear
            </Link>
            <a href={`/api/export/audit${query}`} className={`${secondaryLink} sm:ml-auto`} download>
              Export CSV
            </a>
          </div>
        </form>
      </Card>

      {problem && <Alert>{problem}</Alert>}
      {!page ? (
        <Alert>That page link is broken. <Link href={`/console/settings/audit${query}`} className="underline">Go back to the newest entries.</Link></Alert>
      ) : page.rows.length === 0 ? (
        <Card>
          <p className="text-slate-700">No entries match this filter.</p>
        </Card>
      ) : (
        <div className="relative overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
          <table className="w-full min-w-[48rem] border-collapse text-sm">
            <caption className="px-3 pt-3 text-left text-sm font-medium text-slate-700">Audit entries, newest first</caption>
            <thead className="border-b border-slate-200">
              <tr>
                <th scope="col" className={th}>When</th>
                <th scope="col" className={th}>Who</th>
                <th scope="col" className={th}>Action</th>
                <th scope="col" className={th}>Reason</th>
                <th scope="col" className={th}>Changes</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200">
              {page.rows.map((row) => (
                <tr key={row.id}>
                  <td className={`${td} whitespace-nowrap text-slate-700`}>{when(row.createdAt)}</td>
                  <td className={td}>{row.actor.name}</td>
                  <th scope="row" className={`${td} text-left font-mono text-xs font-semibold text-slate-900`}>
                    {row.action}
                    <span className="block font-sans font-normal text-slate-600">{row.targetType}</span>
                  </th>
                  <td className={`${td} max-w-64 text-slate-800`}>{row.reason ?? <span className="text-slate-500">—</span>}</td>
                  <td className={`${td} min-w-56`}>
                    <Changes before={row.before} after={row.after} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <nav aria-label="Audit log pages" className="flex flex-wrap gap-2">
        {params.cursor && (
          <Link href={`/console/settings/audit${query}`} className={secondaryLink}>
            Newest entries
          </Link>
        )}
        {page?.nextCursor && (
          <Link href={`/console/settings/audit${filterQuery({ ...filter, cursor: page.nextCursor })}`} rel="next" className={secondaryLink}>
            Older entries
          </Link>
        )}
      </nav>
    </div>
  );
}
