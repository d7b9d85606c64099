import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { accountRouter } from "./routers/account";
import { auditRouter } from "./routers/audit";
import { clinicRouter } from "./routers/clinic";
import { platformRouter } from "./routers/platform";
import { portalRouter } from "./routers/portal";
import { teamRouter } from "./routers/team";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  account: accountRouter,
  portal: portalRouter,
  clinic: clinicRouter,
  platform: platformRouter,
  team: teamRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export const createCaller = createCallerFactory(appRouter);
