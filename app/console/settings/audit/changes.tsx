const asRecord = (value: unknown): Record<string, unknown> =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : value === null || value === undefined ? {} : { value };

function show(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** Rule C4: what an entry changed, one line per field: "role: staff → admin". */
export function Changes({ before, after }: { before: unknown; after: unknown }) {
  const b = asRecord(before);
  const a = asRecord(after);
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  if (!keys.length) return <span className="text-slate-500">—</span>;
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-2 text-xs">
      {keys.map((key) => {
        const had = key in b;
        const has = key in a;
        const same = had && has && JSON.stringify(b[key]) === JSON.stringify(a[key]);
        return (
          <div key={key} className="contents">
            <dt className="font-medium text-slate-600">{key}</dt>
            <dd className="break-all text-slate-900">
              {!had ? show(a[key]) : !has ? <>{show(b[key])} → <span className="text-slate-500">removed</span></> : same ? show(a[key]) : <>{show(b[key])} → {show(a[key])}</>}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
