import type { Route } from "../route";
import { commerceRoutes } from "./commerce";
import { partnerRoutes } from "./partner";
import { patientRoutes } from "./patients";
import { webhookRoutes } from "./webhooks";

/** Every route of /api/v1: the dispatcher, the OpenAPI document and the tenancy tests read this table. */
export const ROUTES: readonly Route[] = [...patientRoutes, ...commerceRoutes, ...partnerRoutes, ...webhookRoutes];
