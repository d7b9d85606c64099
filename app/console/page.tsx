import type { Metadata } from "next";
import Link from "next/link";
import { formatCents } from "@/app/_components/format";
import { Card } from "@/app/_components/ui";
import { serverCaller } from "@/app/_trpc/server";
import { currentActor } from "@/app/_auth/require";
import { FirstRunChecklist } from "./_components/first-run-checklist";
import { DASHBOARD_PERIODS, type DashboardPeriod } from "@/server/schemas/dashboard";
import { BarsChart, TrendChart } from "./_components/charts";
import { ChannelTable, FunnelTable, Leaderboard, PeriodNav, SeriesTable, percent } from "./_components/dashboard-parts";

export const metadata: Metadata = { title: "Dashboard" };

const PERIOD_WORDS: Record<DashboardPeriod, string> = { "7d": "the last 7 days", "30d": "the last 30 days", "90d": "the last 90 days", all: "all time" };

function periodFrom(raw: string | string[] | undefined): DashboardPeriod {
  const value = Array.isArray(raw) ? raw[0] : raw;
  return (DASHBOARD_PERIODS as readonly string[]).includes(value ?? "") ? (value as DashboardPeriod) : "30d";
}

export default async function ConsoleDashboard({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const period = periodFrom((await searchParams).period);
  const caller = await serverCaller();
  const [stats, clinic, actor] = await Promise.all([caller.dashboard.stats({ period }), caller.clinic.profile(), currentActor()]);
  // Issue 13: admins see what is left of setting the clinic up.
  const checklist = actor?.role === "admin" ? <FirstRunChecklist steps={await caller.dashboard.checklist()} /> : null;

  if (!stats.hasActivity) {
    return (
      <div className="flex flex-col gap-6">
        <h1 className="text-2xl font-bold text-slate-900">Dashboard</h1>
        {checklist}
        <Card title="Get your first referrals">
          <p className="text-slate-700">
            Nothing to show yet. Every patient already has a personal referral link in their patient portal; they just need
            to know about it.
          </p>
          <ol className="mt-3 list-decimal space-y-2 pl-5 text-slate-700">
            <li>Tell patients at the front desk and after visits that they can invite friends from their patient portal.</li>
            <li>
              Point them to your program page,{" "}
              <a href={`/terms/${clinic.slug}`} className="font-medium text-brand-700 underline">
                /terms/{clinic.slug}
              </a>
              , which explains the rewards.
            </li>
            <li>When a new patient&apos;s first paid order is recorded, both patients get their credit automatically.</li>
          </ol>
          <p className="mt-3 text-sm text-slate-600">Clicks, sign-ups and rewards appear here as soon as the first link is opened.</p>
        </Card>
      </div>
    );
  }

  const { totals, funnel } = stats;
  const cards = [
    { label: "Link clicks", value: totals.clicks.toLocaleString("en-US") },
    { label: "Sign-ups", value: totals.signUps.toLocaleString("en-US"), hint: `${percent(funnel.clickToSignUp)} of clicks` },
    { label: "Qualified referrals", value: totals.qualified.toLocaleString("en-US"), hint: `${percent(funnel.signUpToQualified)} of sign-ups` },
    { label: "Rewards issued", value: formatCents(totals.rewardsIssuedCents) },
    { label: "Rewards redeemed", value: formatCents(totals.rewardsRedeemedCents) },
    { label: "Revenue from referred patients", value: formatCents(totals.revenueCents), hint: "Paid orders after they were referred" },
  ];
  const words = PERIOD_WORDS[period];
  const unit = period === "all" ? "month" : "day";

  return (
    <div className="flex flex-col gap-8">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold text-slate-900">Dashboard</h1>
          <p className="mt-1 text-slate-700">Referral results for {words}. Days are counted in your clinic&apos;s time zone.</p>
        </div>
        <PeriodNav current={period} />
      </div>
      {checklist}

      <section aria-labelledby="totals-heading">
        <h2 id="totals-heading" className="sr-only">
          Totals for {words}
        </h2>
        <dl className="grid grid-cols-2 gap-3 lg:grid-cols-3">
          {cards.map((card) => (
            <div key={card.label} className="flex flex-col rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
              <dt className="text-sm font-medium text-slate-700">{card.label}</dt>
              <dd className="order-first text-3xl font-bold tabular-nums text-slate-900">{card.value}</dd>
              {card.hint && <dd className="mt-1 text-xs text-slate-600">{card.hint}</dd>}
            </div>
          ))}
        </dl>
      </section>

      <Card title={`Clicks, sign-ups and qualified referrals by ${unit}`}>
        <TrendChart points={stats.series} label={`Line chart of clicks, sign-ups and qualified referrals per ${unit} for ${words}. The numbers are in the table below.`} />
        <SeriesTable points={stats.series} unit={unit} />
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Funnel">
          <BarsChart
            name="Count"
            label={`Bar chart of the funnel for ${words}: ${totals.clicks} clicks, ${totals.signUps} sign-ups, ${totals.qualified} qualified.`}
            data={[
              { label: "Clicks", value: totals.clicks },
              { label: "Sign-ups", value: totals.signUps },
              { label: "Qualified", value: totals.qualified },
            ]}
          />
          <FunnelTable totals={totals} funnel={funnel} />
        </Card>
        <Card title="Clicks by channel">
          {stats.channels.length === 0 ? (
            <p className="text-slate-700">No clicks in {words}.</p>
          ) : (
            <>
              <BarsChart
                name="Clicks"
                label={`Bar chart of clicks by channel for ${words}. The numbers are in the table below.`}
                data={stats.channels.map((c) => ({ label: c.channel, value: c.clicks }))}
              />
              <ChannelTable channels={stats.channels} total={totals.clicks} />
            </>
          )}
        </Card>
      </div>

      <Card title="Top referrers">
        <Leaderboard leaders={stats.leaderboard} words={words} />
        <Link href="/console/activity" className="mt-3 inline-flex min-h-11 items-center font-medium text-brand-700 underline">
          See every event in the activity log
        </Link>
      </Card>
    </div>
  );
}
