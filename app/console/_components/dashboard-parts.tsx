import Link from "next/link";
import type { RouterOutputs } from "@/server/root";
import { DASHBOARD_PERIODS, type DashboardPeriod } from "@/server/schemas/dashboard";

type Stats = RouterOutputs["dashboard"]["stats"];

const PERIOD_LABELS: Record<DashboardPeriod, string> = { "7d": "7 days", "30d": "30 days", "90d": "90 days", all: "All time" };
export const CHANNEL_LABELS: Record<string, string> = { sms: "SMS", email: "Email", qr: "QR code", copy: "Copied link", share: "Share menu", other: "Other", direct: "No channel" };

const th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600";
const num = "px-3 py-2 text-right tabular-nums";

export function percent(ratio: number | null): string {
  return ratio === null ? "–" : `${(ratio * 100).toFixed(ratio < 0.1 ? 1 : 0)}%`;
}

export function PeriodNav({ current }: { current: DashboardPeriod }) {
  return (
    <nav aria-label="Period">
      <ul className="flex flex-wrap gap-1">
        {DASHBOARD_PERIODS.map((period) => (
          <li key={period}>
            <Link
              href={period === "30d" ? "/console" : `/console?period=${period}`}
              aria-current={period === current ? "page" : undefined}
              className={
                period === current
                  ? "inline-flex min-h-11 items-center rounded-lg bg-brand-600 px-3 text-sm font-semibold text-white"
                  : "inline-flex min-h-11 items-center rounded-lg border border-slate-300 bg-white px-3 text-sm font-medium text-slate-800 hover:bg-slate-100"
              }
            >
              {PERIOD_LABELS[period]}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function SeriesTable({ points, unit }: { points: Stats["series"]; unit: "day" | "month" }) {
  return (
    <details className="mt-3">
      <summary className="min-h-11 cursor-pointer py-2 text-sm font-medium text-brand-700 underline">Show the numbers by {unit}</summary>
      <div className="max-h-80 overflow-auto">
        <table className="w-full border-collapse text-sm">
          <caption className="sr-only">Clicks, sign-ups and qualified referrals by {unit}</caption>
          <thead className="border-b border-slate-200">
            <tr>
              <th scope="col" className={th}>{unit === "day" ? "Day" : "Month"}</th>
              <th scope="col" className={`${th} text-right`}>Clicks</th>
              <th scope="col" className={`${th} text-right`}>Sign-ups</th>
              <th scope="col" className={`${th} text-right`}>Qualified</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {[...points].reverse().map((p) => (
              <tr key={p.bucket}>
                <th scope="row" className="px-3 py-2 text-left font-normal">{p.bucket}</th>
                <td className={num}>{p.clicks}</td>
                <td className={num}>{p.signUps}</td>
                <td className={num}>{p.qualified}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

export function FunnelTable({ totals, funnel }: { totals: Stats["totals"]; funnel: Stats["funnel"] }) {
  const rows = [
    { step: "Clicks", count: totals.clicks, rate: "–" },
    { step: "Sign-ups", count: totals.signUps, rate: percent(funnel.clickToSignUp) },
    { step: "Qualified", count: totals.qualified, rate: percent(funnel.signUpToQualified) },
  ];
  return (
    <table className="mt-3 w-full border-collapse text-sm">
      <caption className="px-3 text-left text-sm text-slate-600">
        Click to qualified: {percent(funnel.clickToQualified)}. Sign-ups from typed codes have no click, so a rate can pass 100%.
      </caption>
      <thead className="border-b border-slate-200">
        <tr>
          <th scope="col" className={th}>Step</th>
          <th scope="col" className={`${th} text-right`}>Count</th>
          <th scope="col" className={`${th} text-right`}>From the step before</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((r) => (
          <tr key={r.step}>
            <th scope="row" className="px-3 py-2 text-left font-normal">{r.step}</th>
            <td className={num}>{r.count.toLocaleString("en-US")}</td>
            <td className={num}>{r.rate}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ChannelTable({ channels, total }: { channels: Stats["channels"]; total: number }) {
  return (
    <table className="mt-3 w-full border-collapse text-sm">
      <caption className="sr-only">Clicks by channel</caption>
      <thead className="border-b border-slate-200">
        <tr>
          <th scope="col" className={th}>Channel</th>
          <th scope="col" className={`${th} text-right`}>Clicks</th>
          <th scope="col" className={`${th} text-right`}>Share</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {channels.map((c) => (
          <tr key={c.channel}>
            <th scope="row" className="px-3 py-2 text-left font-normal">{CHANNEL_LABELS[c.channel] ?? c.channel}</th>
            <td className={num}>{c.clicks.toLocaleString("en-US")}</td>
            <td className={num}>{percent(total ? c.clicks / total : null)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Leaderboard({ leaders, words }: { leaders: Stats["leaderboard"]; words: string }) {
  if (leaders.length === 0) return <p className="text-slate-700">No qualified referrals in {words} yet.</p>;
  return (
    <table className="w-full border-collapse text-sm">
      <caption className="px-3 text-left text-sm text-slate-600">The 10 patients with the most qualified referrals in {words}</caption>
      <thead className="border-b border-slate-200">
        <tr>
          <th scope="col" className={th}>Rank</th>
          <th scope="col" className={th}>Referrer</th>
          <th scope="col" className={`${th} text-right`}>Qualified referrals</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {leaders.map((l, i) => (
          <tr key={l.patientId}>
            <td className="px-3 py-2 tabular-nums">{i + 1}</td>
            <th scope="row" className="px-3 py-2 text-left font-normal">
              <Link href={`/console/patients/${l.patientId}`} prefetch={false} className="font-medium text-brand-700 underline">
                {l.name}
              </Link>
            </th>
            <td className={num}>{l.qualified}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
