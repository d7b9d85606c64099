import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { accountRouter } from "./routers/account";
import { clinicRouter } from "./routers/clinic";
import { partnerRouter } from "./routers/partner";
import { platformRouter } from "./routers/platform";
import { platformB2bRouter } from "./routers/platform-b2b";
import { portalRouter } from "./routers/portal";
import { reviewRouter } from "./routers/review";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  account: accountRouter,
  portal: portalRouter,
  clinic: clinicRouter,
  review: reviewRouter,
  platform: platformRouter,
  partner: partnerRouter,
  platformB2b: platformB2bRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export const createCaller = createCallerFactory(appRouter);
