"use client";

import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

const COLORS = { clicks: "#2563eb", signUps: "#7c3aed", qualified: "#047857" } as const;

type Point = { bucket: string; clicks: number; signUps: number; qualified: number };

/** Rule C1 as a picture; the same numbers are in the table beside it, for screen readers too. */
export function TrendChart({ points, label }: { points: Point[]; label: string }) {
  return (
    <div role="img" aria-label={label} className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="bucket" tick={{ fontSize: 12, fill: "#475569" }} minTickGap={24} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12, fill: "#475569" }} />
          <Tooltip />
          <Legend />
          <Line type="monotone" dataKey="clicks" name="Clicks" stroke={COLORS.clicks} dot={false} strokeWidth={2} isAnimationActive={false} />
          <Line type="monotone" dataKey="signUps" name="Sign-ups" stroke={COLORS.signUps} dot={false} strokeWidth={2} strokeDasharray="6 3" isAnimationActive={false} />
          <Line type="monotone" dataKey="qualified" name="Qualified" stroke={COLORS.qualified} dot={false} strokeWidth={2} strokeDasharray="2 2" isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

export function BarsChart({ data, label, name }: { data: { label: string; value: number }[]; label: string; name: string }) {
  return (
    <div role="img" aria-label={label} className="h-56 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 12, fill: "#475569" }} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12, fill: "#475569" }} />
          <Tooltip />
          <Bar dataKey="value" name={name} fill={COLORS.clicks} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
