import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { accountRouter } from "./routers/account";
import { activityRouter } from "./routers/activity";
import { clinicRouter } from "./routers/clinic";
import { dashboardRouter } from "./routers/dashboard";
import { patientsRouter } from "./routers/patients";
import { platformRouter } from "./routers/platform";
import { portalRouter } from "./routers/portal";
import { reviewRouter } from "./routers/review";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  account: accountRouter,
  portal: portalRouter,
  clinic: clinicRouter,
  review: reviewRouter,
  platform: platformRouter,
  activity: activityRouter,
  dashboard: dashboardRouter,
  patients: patientsRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export const createCaller = createCallerFactory(appRouter);
