import type { RouterOutputs } from "@/server/root";
import { StatusBadge } from "./ui";

type Run = RouterOutputs["runs"]["clinic"][number];

const NAMES: Record<Run["name"], string> = {
  reconcile: "Pending-order reconciliation",
  daily: "Daily run",
  weekly: "Weekly run",
  monthly: "Monthly payout run",
};

const OUTCOMES: Record<Run["status"], { label: string; tone: "neutral" | "good" | "warn" | "bad" }> = {
  queued: { label: "Waiting", tone: "neutral" },
  running: { label: "Running", tone: "warn" },
  succeeded: { label: "Done", tone: "good" },
  failed: { label: "Failed", tone: "bad" },
};

/** "rewardsExpired" -> "rewards expired". */
const words = (key: string) => key.replace(/([A-Z])/g, " $1").toLowerCase();

/** Rule A6: recent scheduled runs, with their outcome, attempts and last error; times in `timeZone`. */
export function RunsTable({ runs, timeZone, caption }: { runs: Run[]; timeZone: string; caption: string }) {
  const time = new Intl.DateTimeFormat("en-US", { timeZone, month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "short" });
  if (!runs.length) return <p className="text-slate-700">No runs yet. The first ones start within a few minutes of the app starting.</p>;
  return (
    <div className="relative overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
      <table className="w-full min-w-[48rem] border-collapse text-sm">
        <caption className="px-3 pt-3 text-left text-sm font-medium text-slate-700">{caption}</caption>
        <thead className="border-b border-slate-200">
          <tr>
            {["Run", "Period", "Outcome", "Attempts", "Finished", "Details"].map((h) => (
              <th key={h} scope="col" className="px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {runs.map((run) => (
            <tr key={run.id}>
              <td className="px-3 py-3 align-top font-medium text-slate-900">{NAMES[run.name]}</td>
              <td className="px-3 py-3 align-top whitespace-nowrap">{run.period}</td>
              <td className="px-3 py-3 align-top">
                <StatusBadge tone={OUTCOMES[run.status].tone}>{OUTCOMES[run.status].label}</StatusBadge>
              </td>
              <td className="px-3 py-3 align-top">{run.attempts}</td>
              <td className="px-3 py-3 align-top whitespace-nowrap">{run.finishedAt ? time.format(run.finishedAt) : "—"}</td>
              <td className="px-3 py-3 align-top text-slate-800">
                {run.lastError ? (
                  <span className="text-red-800">{run.lastError}</span>
                ) : (
                  Object.entries(run.result ?? {})
                    .map(([key, value]) => `${value} ${words(key)}`)
                    .join(", ") || "—"
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
