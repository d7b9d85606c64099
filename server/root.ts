import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { accountRouter } from "./routers/account";
import { activityRouter } from "./routers/activity";
import { clinicRouter } from "./routers/clinic";
import { jobsRouter, platformJobsRouter } from "./routers/jobs";
import { dashboardRouter } from "./routers/dashboard";
import { integrationsRouter, platformIntegrationsRouter } from "./routers/integrations";
import { accountEmailsRouter, messagesRouter } from "./routers/messages";
import { onboardingRouter } from "./routers/onboarding";
import { patientsRouter } from "./routers/patients";
import { auditRouter } from "./routers/audit";
import { partnerRouter } from "./routers/partner";
import { platformRouter } from "./routers/platform";
import { platformB2bRouter } from "./routers/platform-b2b";
import { portalRouter } from "./routers/portal";
import { reviewRouter } from "./routers/review";
import { runsRouter } from "./routers/runs";
import { securityRouter } from "./routers/security";
import { teamRouter } from "./routers/team";
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
  partner: partnerRouter,
  platformB2b: platformB2bRouter,
  team: teamRouter,
  audit: auditRouter,
  security: securityRouter,
  runs: runsRouter,
  integrations: integrationsRouter,
  platformIntegrations: platformIntegrationsRouter,
  jobs: jobsRouter,
  platformJobs: platformJobsRouter,
  messages: messagesRouter,
  accountEmails: accountEmailsRouter,
  onboarding: onboardingRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export const createCaller = createCallerFactory(appRouter);
