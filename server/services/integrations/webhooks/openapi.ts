import { z } from "zod";
import { domainEventSchema } from "@/server/events/catalog";

/**
 * Rule A4: the OpenAPI 3.1 `webhooks` section: one entry per catalog event, whose request body
 * is the Standard Webhooks envelope around that event's payload schema (the same zod schemas
 * that `emit` checks). The REST API's openapi.json merges this in (issue 11).
 */
export function openApiWebhooks(): Record<string, unknown> {
  const person = {
    type: "object",
    description: "A patient the event names: first name only, unless the endpoint may receive contact details (rule N3).",
    properties: { firstName: { type: "string" }, lastName: { type: "string" }, email: { type: "string" }, phone: { type: ["string", "null"] } },
    required: ["firstName"],
  };
  const entries = domainEventSchema.options.map((option) => {
    const type = option.shape.type.value;
    const data = z.toJSONSchema(option.shape.data, { io: "input" }) as Record<string, unknown>;
    const properties = { ...(data.properties as Record<string, unknown>), people: { type: "object", additionalProperties: person } };
    return [
      type,
      {
        post: {
          summary: type,
          parameters: ["webhook-id", "webhook-timestamp", "webhook-signature"].map((name) => ({ name, in: "header", required: true, schema: { type: "string" } })),
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["type", "timestamp", "data"],
                  properties: { type: { const: type }, timestamp: { type: "string", format: "date-time" }, data: { ...data, properties } },
                },
              },
            },
          },
          responses: { "2XX": { description: "Received. Anything else, a redirect included, is retried." }, "410": { description: "Gone: the endpoint is disabled." } },
        },
      },
    ] as const;
  });
  return Object.fromEntries(entries);
}
