import { formatCents } from "@/app/_components/format";

type Line = { id: string; name: string; quantity: number; priceCents: number };

/** Rule P9: credit comes off first, up to the order total; the card pays the rest. */
export function OrderSummary({ lines, balanceCents }: { lines: Line[]; balanceCents: number | null }) {
  const subtotal = lines.reduce((sum, line) => sum + line.priceCents * line.quantity, 0);
  const credit = balanceCents === null ? null : Math.min(balanceCents, subtotal);
  return (
    <div className="flex flex-col gap-2">
      {lines.length === 0 ? (
        <p className="text-sm text-slate-700">Nothing chosen yet. Add a service above.</p>
      ) : (
        <ul className="flex flex-col gap-1 text-sm text-slate-800">
          {lines.map((line) => (
            <li key={line.id} className="flex justify-between gap-3">
              <span>
                {line.name}
                {line.quantity > 1 && ` × ${line.quantity}`}
              </span>
              <span className="tabular-nums">{formatCents(line.priceCents * line.quantity)}</span>
            </li>
          ))}
        </ul>
      )}
      <dl className="grid grid-cols-[1fr_auto] gap-x-3 gap-y-1 border-t border-slate-200 pt-2 text-sm tabular-nums">
        <dt className="text-slate-700">Subtotal</dt>
        <dd className="text-right text-slate-900">{formatCents(subtotal)}</dd>
        <dt className="text-slate-700">Credit applied automatically</dt>
        <dd className="text-right text-emerald-800">{credit === null ? "…" : `up to ${formatCents(credit)}`}</dd>
        <dt className="text-base font-semibold text-slate-900">You pay</dt>
        <dd className="text-right text-base font-bold text-slate-900">
          {credit === null ? "…" : formatCents(subtotal - credit)}
        </dd>
      </dl>
      {balanceCents !== null && balanceCents > 0 && (
        <p className="text-xs text-slate-600">Your credit balance: {formatCents(balanceCents)}</p>
      )}
    </div>
  );
}

export function youPayCents(lines: Line[], balanceCents: number | null): number | null {
  if (balanceCents === null) return null;
  const subtotal = lines.reduce((sum, line) => sum + line.priceCents * line.quantity, 0);
  return subtotal - Math.min(balanceCents, subtotal);
}
