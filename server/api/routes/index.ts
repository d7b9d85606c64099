import type { Route } from "../route";
import { appointmentRoutes } from "./appointments";
import { creditRoutes } from "./credit";
import { orderRoutes } from "./orders";
import { partnerRoutes } from "./partner";
import { patientRoutes } from "./patients";
import { referralRoutes } from "./referrals";
import { webhookRoutes } from "./webhooks";

/** Every route of /api/v1: the dispatcher, the OpenAPI document and the tenancy tests read this table. */
export const ROUTES: readonly Route[] = [
  ...patientRoutes,
  ...referralRoutes,
  ...orderRoutes,
  ...creditRoutes,
  ...appointmentRoutes,
  ...partnerRoutes,
  ...webhookRoutes,
];
