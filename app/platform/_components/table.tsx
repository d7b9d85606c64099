/** Shared table styling for the platform pages. */
export const th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600";
export const td = "px-3 py-3 align-top";

export function Table({ caption, head, children, minWidth = "48rem" }: { caption: string; head: string[]; children: React.ReactNode; minWidth?: string }) {
  return (
    <div className="relative overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
      <table className="w-full border-collapse text-sm" style={{ minWidth }}>
        <caption className="px-3 pt-3 text-left text-sm font-medium text-slate-700">{caption}</caption>
        <thead className="border-b border-slate-200">
          <tr>
            {head.map((h) => (
              <th key={h} scope="col" className={th}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">{children}</tbody>
      </table>
    </div>
  );
}

export function PageHeading({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <div>
      <h1 className="text-2xl font-bold text-slate-900">{title}</h1>
      {children && <p className="mt-1 text-slate-700">{children}</p>}
    </div>
  );
}
