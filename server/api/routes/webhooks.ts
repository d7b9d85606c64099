import { z } from "zod";
import { createWebhookInput, webhookSubscriptionOutput } from "@/server/schemas/webhooks";
import { createEndpoint, deleteEndpoint } from "@/server/services/integrations/webhooks/endpoints";
import { route } from "../route";
import { EXAMPLE_ID } from "./examples";

const ID = EXAMPLE_ID;

/**
 * Rule A4, the REST-hooks pattern: Zapier, Make or Power Automate subscribe an endpoint when a
 * zap is turned on and remove it when it is turned off. The same service as the console's
 * Webhooks page, with the API key as actor; a key removes only what it made.
 */
export const webhookRoutes = [
  route({
    method: "POST",
    path: "/webhooks",
    operationId: "subscribeWebhook",
    summary: "Subscribe an endpoint to events",
    description:
      "Registers a URL for the event types named (or `*` for all). Deliveries are signed as Standard Webhooks describe; the URL must resolve to a public address (rule A4). Contact details are never sent to an endpoint made through the API (rule N3).",
    tag: "Webhooks",
    audience: "clinic",
    scope: "write",
    idempotency: "optional",
    answerHoldsSecret: true,
    body: createWebhookInput.omit({ mayReceiveContactDetails: true }),
    bodyExample: { url: "https://hooks.zapier.com/hooks/standard/123/abc/", events: ["referral.qualified"], description: "Zapier: qualified referrals to HubSpot" },
    status: 201,
    response: webhookSubscriptionOutput,
    responseExample: { id: ID, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" },
    errors: [400, 422],
    target: { type: "webhook_endpoint", id: (_params, result) => result.id },
    handler: ({ service, body }) => createEndpoint(service, { url: body.url, events: body.events, description: body.description, mayReceiveContactDetails: false }),
  }),
  route({
    method: "DELETE",
    path: "/webhooks/{id}",
    operationId: "unsubscribeWebhook",
    summary: "Remove an endpoint this key subscribed",
    tag: "Webhooks",
    audience: "clinic",
    scope: "write",
    idempotency: "none",
    params: z.object({ id: z.uuid("That id is not valid.") }),
    status: 200,
    response: z.object({ id: z.uuid(), deleted: z.literal(true) }).meta({ id: "WebhookRemoved" }),
    responseExample: { id: ID, deleted: true },
    errors: [404],
    target: { type: "webhook_endpoint", id: (params) => params.id },
    handler: async ({ service, params }) => ({ ...(await deleteEndpoint(service, { endpointId: params.id })), deleted: true as const }),
  }),
];
