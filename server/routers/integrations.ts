import { z } from "zod";
import { apiKeyProcedures } from "./api-keys";
import {
  createWebhookInput,
  deliveryIdInput,
  endpointIdInput,
  pauseWebhookInput,
  updateWebhookInput,
  webhookAttemptOutput,
  webhookDeliveryOutput,
  webhookEndpointOutput,
  webhookSubscriptionOutput,
} from "@/server/schemas/webhooks";
import {
  createEndpoint,
  deleteEndpoint,
  deliveryAttempts,
  endpointDeliveries,
  listEndpoints,
  resendDelivery,
  revealEndpointSecret,
  rotateEndpointSecret,
  sendTestEvent,
  setEndpointPaused,
  updateEndpoint,
} from "@/server/services/integrations/webhooks/endpoints";
import { deleteInboundEndpoint, listInboundEndpoints, rotateInboundSecret, setInboundPaused } from "@/server/services/integrations/inbound/endpoints";
import { createInboundEndpoint, listInboundEvents, reprocessInboundEvent } from "@/server/services/integrations/inbound/receive";
import {
  createInboundInput,
  inboundEndpointIdInput,
  inboundEndpointOutput,
  inboundEventOutput,
  inboundEventsInput,
  pauseInboundInput,
  reprocessInboundInput,
  rotateInboundSecretInput,
  rotateInboundSecretOutput,
} from "@/server/schemas/inbound";
import { adminProcedure, platformProcedure, router } from "@/server/trpc";

/**
 * Rule A4: outgoing webhook endpoints and their delivery log. The same procedures serve a clinic's
 * admins (their clinic's events) and the platform admins (the partner program's events); the
 * scope is the actor's clinic, null for the platform (rule N1).
 */
function webhookProcedures(procedure: typeof adminProcedure | typeof platformProcedure) {
  return {
    webhooks: procedure.output(z.array(webhookEndpointOutput)).query(({ ctx }) => listEndpoints(ctx.service)),

    webhook: procedure
      .input(endpointIdInput)
      .output(z.object({ endpoint: webhookEndpointOutput, deliveries: z.array(webhookDeliveryOutput) }))
      .query(({ ctx, input }) => endpointDeliveries(ctx.service, { endpointId: input.endpointId })),

    deliveryAttempts: procedure
      .input(deliveryIdInput)
      .output(z.array(webhookAttemptOutput))
      .query(({ ctx, input }) => deliveryAttempts(ctx.service, { deliveryId: input.deliveryId })),

    /** Answers the new endpoint's secret: shown once, then on request through revealWebhookSecret. */
    createWebhook: procedure
      .input(createWebhookInput)
      .output(webhookSubscriptionOutput)
      .mutation(({ ctx, input }) => createEndpoint(ctx.service, input)),

    updateWebhook: procedure
      .input(updateWebhookInput)
      .output(webhookEndpointOutput)
      .mutation(({ ctx, input }) => updateEndpoint(ctx.service, input)),

    pauseWebhook: procedure
      .input(pauseWebhookInput)
      .output(webhookEndpointOutput)
      .mutation(({ ctx, input }) => setEndpointPaused(ctx.service, input)),

    rotateWebhookSecret: procedure
      .input(endpointIdInput)
      .output(z.object({ secret: z.string(), previousExpiresAt: z.date() }))
      .mutation(({ ctx, input }) => rotateEndpointSecret(ctx.service, input)),

    revealWebhookSecret: procedure
      .input(endpointIdInput)
      .output(z.object({ secret: z.string() }))
      .mutation(({ ctx, input }) => revealEndpointSecret(ctx.service, input)),

    deleteWebhook: procedure
      .input(endpointIdInput)
      .output(z.object({ id: z.uuid() }))
      .mutation(({ ctx, input }) => deleteEndpoint(ctx.service, input)),

    sendTestEvent: procedure
      .input(endpointIdInput)
      .output(z.object({ deliveryId: z.uuid() }))
      .mutation(({ ctx, input }) => sendTestEvent(ctx.service, input)),

    resendDelivery: procedure
      .input(deliveryIdInput)
      .output(z.object({ deliveryId: z.uuid(), messageId: z.string() }))
      .mutation(({ ctx, input }) => resendDelivery(ctx.service, input)),

    /** Rule A5: an address for a provider's events; answers the signing secret (the admin's, or one made here). */
    createInbound: procedure
      .input(createInboundInput)
      .output(z.object({ id: z.uuid(), url: z.string(), signingSecret: z.string() }))
      .mutation(({ ctx, input }) => createInboundEndpoint(ctx.service, input)),

    inboundEndpoints: procedure.output(z.array(inboundEndpointOutput)).query(({ ctx }) => listInboundEndpoints(ctx.service)),

    /** Issue 19: a paused endpoint answers 404 and stores nothing. */
    pauseInbound: procedure
      .input(pauseInboundInput)
      .output(inboundEndpointOutput)
      .mutation(({ ctx, input }) => setInboundPaused(ctx.service, input)),

    /** Issue 19: a pasted or new secret (answered once); the old one verifies for 24 more hours. */
    rotateInboundSecret: procedure
      .input(rotateInboundSecretInput)
      .output(rotateInboundSecretOutput)
      .mutation(({ ctx, input }) => rotateInboundSecret(ctx.service, input)),

    /** Issue 19: the address answers 404 from now on and leaves the list. */
    deleteInbound: procedure
      .input(inboundEndpointIdInput)
      .output(z.object({ id: z.uuid() }))
      .mutation(({ ctx, input }) => deleteInboundEndpoint(ctx.service, input)),

    inboundEvents: procedure
      .input(inboundEventsInput)
      .output(z.array(inboundEventOutput))
      .query(({ ctx, input }) => listInboundEvents(ctx.service, input)),

    reprocessInbound: procedure
      .input(reprocessInboundInput)
      .output(z.object({ id: z.uuid() }))
      .mutation(({ ctx, input }) => reprocessInboundEvent(ctx.service, input)),
  };
}

export const integrationsRouter = router({ ...webhookProcedures(adminProcedure), ...apiKeyProcedures });
export const platformIntegrationsRouter = router(webhookProcedures(platformProcedure));
