import { z } from "zod";
import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_ENDPOINT_STATUSES } from "@/db/schema/webhooks";
import { EVENT_CATALOG, type EventType } from "@/server/events/catalog";
import { singleLine } from "./text";

/** Rule A4: what an endpoint can subscribe to: catalog event types, or "*" for all of them. */
export const webhookEventsField = z
  .array(z.enum(["*", ...(EVENT_CATALOG as [EventType, ...EventType[]])], { error: "Choose event types from the list, or * for every event." }))
  .min(1, "Choose at least one event type, or * for every event.")
  .max(EVENT_CATALOG.length, "Each event type once, please.")
  .refine((events) => new Set(events).size === events.length, "Each event type once, please.")
  .refine((events) => !events.includes("*") || events.length === 1, "* already means every event; choose it alone.");

export const webhookUrlField = singleLine().min(1, "Enter the endpoint's address.").max(2000, "Keep the address under 2,000 characters.");

const descriptionField = singleLine().max(200, "Keep the description under 200 characters.");

export const createWebhookInput = z.strictObject({
  url: webhookUrlField,
  events: webhookEventsField,
  description: descriptionField.default(""),
  /** Rule N3: names, emails and phones leave only for a CRM under a business associate agreement. */
  mayReceiveContactDetails: z.boolean().default(false),
});

export const updateWebhookInput = z.strictObject({
  endpointId: z.uuid(),
  url: webhookUrlField.optional(),
  events: webhookEventsField.optional(),
  description: descriptionField.optional(),
  mayReceiveContactDetails: z.boolean().optional(),
});

export const endpointIdInput = z.strictObject({ endpointId: z.uuid() });
export const pauseWebhookInput = z.strictObject({ endpointId: z.uuid(), paused: z.boolean() });
export const deliveryIdInput = z.strictObject({ deliveryId: z.uuid() });

/** Rule A4: a new endpoint and its signing secret, answered this once: the console's createWebhook and REST's subscribeWebhook. */
export const webhookSubscriptionOutput = z
  .object({ id: z.uuid(), secret: z.string().meta({ description: "The whsec_ signing secret, answered this once: verify each delivery with it (Standard Webhooks)." }) })
  .meta({ id: "WebhookSubscription" });

export const webhookEndpointOutput = z.object({
  id: z.uuid(),
  url: z.string(),
  events: z.array(z.string()),
  description: z.string(),
  status: z.enum(WEBHOOK_ENDPOINT_STATUSES),
  disabledReason: z.string().nullable(),
  mayReceiveContactDetails: z.boolean(),
  consecutiveFailures: z.int(),
  previousSecretExpiresAt: z.date().nullable(),
  createdAt: z.date(),
});

export const webhookDeliveryOutput = z.object({
  id: z.uuid(),
  eventType: z.string(),
  messageId: z.string(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  attempts: z.int(),
  lastStatusCode: z.int().nullable(),
  lastLatencyMs: z.int().nullable(),
  lastResponseExcerpt: z.string().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.date().nullable(),
  createdAt: z.date(),
});

export const webhookAttemptOutput = z.object({
  attempt: z.int(),
  statusCode: z.int().nullable(),
  latencyMs: z.int(),
  responseExcerpt: z.string().nullable(),
  error: z.string().nullable(),
  succeeded: z.boolean(),
  createdAt: z.date(),
});
