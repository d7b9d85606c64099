"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { formatCents } from "@/app/_components/format";
import { Button, TextField } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { LoadError, Loading } from "@/app/portal/_components/query-state";
import type { EVENT_TYPES } from "@/db/schema/events";
import type { ActivityInput } from "@/server/schemas/activity";
import { CHANNEL_LABELS } from "./dashboard-parts";

type EventType = (typeof EVENT_TYPES)[number];
type Channel = NonNullable<ActivityInput["channel"]>;

export const TYPE_LABELS: Record<EventType, string> = {
  click: "Click",
  sign_up: "Sign-up",
  flag: "Flagged",
  approval: "Approved",
  rejection: "Rejected",
  qualification: "Qualified",
  reward: "Reward",
  redemption: "Credit used",
  adjustment: "Adjustment",
  override: "Manual change",
  reversal: "Reversal",
  expiry: "Expired",
  code_rotation: "Code replaced",
};
const TYPES = Object.keys(TYPE_LABELS) as EventType[];
const CHANNELS = Object.keys(CHANNEL_LABELS) as Channel[];
const timeFormat = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", year: "numeric", hour: "numeric", minute: "2-digit" });

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

const selectClass = "min-h-11 rounded-lg border border-slate-300 bg-white px-3 py-2 text-base text-slate-900 shadow-sm";

/** Rule C2: the timeline, filterable; with `patientId`, one patient's own timeline. */
export function ActivityLog({ patientId }: { patientId?: string }) {
  const trpc = useTRPC();
  const [types, setTypes] = useState<EventType[]>([]);
  const [channel, setChannel] = useState<Channel | "">("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [search, setSearch] = useState("");
  const debounced = useDebounced(search.trim(), 300);
  const [paging, setPaging] = useState<{ filterKey: string; cursor?: string; direction: "older" | "newer" }>({ filterKey: "", direction: "older" });

  const filters = { types, channel: channel || undefined, from: from || undefined, to: to || undefined, search: patientId ? "" : debounced, patientId };
  const datesBackwards = !!from && !!to && from > to;
  // Any change of filter starts again from the newest events.
  const filterKey = JSON.stringify(filters);
  const page = paging.filterKey === filterKey ? { cursor: paging.cursor, direction: paging.direction } : { direction: "older" as const };
  const setPage = (next: { cursor?: string; direction: "older" | "newer" }) => setPaging({ ...next, filterKey });
  const activity = useQuery({
    ...trpc.activity.list.queryOptions({ ...filters, ...page, to: datesBackwards ? undefined : filters.to }),
    placeholderData: keepPreviousData,
  });

  function toggle(type: EventType, on: boolean) {
    setTypes((current) => (on ? [...current, type] : current.filter((t) => t !== type)));
  }

  const rows = activity.data?.rows ?? [];
  return (
    <div className="flex flex-col gap-4">
      {/* Rule N3: sent before the script runs, a POST keeps the name typed out of the URL. */}
      <form method="post" role="search" aria-label="Filter the activity" onSubmit={(event) => event.preventDefault()} className="flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
        <fieldset>
          <legend className="text-sm font-medium text-slate-800">Event types (none ticked shows all)</legend>
          <div className="mt-2 flex flex-wrap gap-x-4 gap-y-1">
            {TYPES.map((type) => (
              <label key={type} className="inline-flex min-h-11 items-center gap-2 text-sm text-slate-800">
                <input type="checkbox" className="h-5 w-5" checked={types.includes(type)} onChange={(e) => toggle(type, e.target.checked)} />
                {TYPE_LABELS[type]}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          {!patientId && (
            <TextField label="Patient name or email" name="search" type="search" autoComplete="off" maxLength={100} value={search} onChange={(e) => setSearch(e.target.value)} />
          )}
          <div className="flex flex-col gap-1">
            <label htmlFor="activity-channel" className="text-sm font-medium text-slate-800">
              Click channel
            </label>
            <select id="activity-channel" className={selectClass} value={channel} onChange={(e) => setChannel(e.target.value as Channel | "")}>
              <option value="">Any</option>
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {CHANNEL_LABELS[c]}
                </option>
              ))}
            </select>
          </div>
          <TextField label="From (UTC day)" name="from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
          <TextField label="To (UTC day)" name="to" type="date" value={to} onChange={(e) => setTo(e.target.value)} error={datesBackwards ? "The To date must be on or after the From date." : undefined} />
        </div>
      </form>

      <div role="status" aria-live="polite" className="text-sm text-slate-700">
        {activity.isSuccess && (rows.length === 0 ? "No events match these filters." : `Showing ${rows.length} events, newest first.`)}
      </div>

      {activity.isError ? (
        <LoadError what="the activity" error={activity.error} onRetry={() => void activity.refetch()} />
      ) : activity.isPending ? (
        <Loading what="activity" />
      ) : (
        <ol className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white shadow-sm" aria-busy={activity.isFetching || undefined}>
          {rows.map((row) => (
            <li key={row.id} className="flex flex-col gap-1 px-4 py-3 sm:flex-row sm:items-baseline sm:gap-4">
              <time dateTime={row.createdAt.toISOString()} className="shrink-0 text-xs tabular-nums text-slate-600 sm:w-44">
                {timeFormat.format(row.createdAt)}
              </time>
              <span className="shrink-0 text-xs font-semibold uppercase tracking-wide text-slate-600 sm:w-28">{TYPE_LABELS[row.type]}</span>
              <div className="text-sm text-slate-900">
                <p>{row.summary}</p>
                {row.note && <p className="text-xs text-slate-600">{row.note}</p>}
                {row.patient && !patientId && (
                  <Link href={`/console/patients/${row.patient.id}`} prefetch={false} className="text-xs font-medium text-brand-700 underline">
                    Open {row.patient.name}&apos;s record
                  </Link>
                )}
              </div>
              {row.amountCents !== null && <span className="text-sm font-medium tabular-nums text-slate-900 sm:ml-auto">{formatCents(row.amountCents)}</span>}
            </li>
          ))}
        </ol>
      )}

      <nav aria-label="Activity pages" className="flex flex-wrap gap-2">
        <Button type="button" variant="secondary" disabled={!activity.data?.newerCursor} onClick={() => setPage({ direction: "older" })}>
          Newest
        </Button>
        <Button
          type="button"
          variant="secondary"
          disabled={!activity.data?.newerCursor}
          busy={activity.isFetching && page.direction === "newer"}
          onClick={() => setPage({ cursor: activity.data?.newerCursor ?? undefined, direction: "newer" })}
        >
          Newer
        </Button>
        <Button
          type="button"
          variant="secondary"
          disabled={!activity.data?.olderCursor}
          busy={activity.isFetching && page.direction === "older" && !!page.cursor}
          onClick={() => setPage({ cursor: activity.data?.olderCursor ?? undefined, direction: "older" })}
        >
          Older
        </Button>
      </nav>
    </div>
  );
}
