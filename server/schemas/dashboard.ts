import { z } from "zod";

export const DASHBOARD_PERIODS = ["7d", "30d", "90d", "all"] as const;
export type DashboardPeriod = (typeof DASHBOARD_PERIODS)[number];

export const dashboardInput = z.object({
  period: z.enum(DASHBOARD_PERIODS, { error: "Choose a period: last 7, 30 or 90 days, or all time." }).default("30d"),
});
