import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { openApiWebhooks } from "@/server/services/integrations/webhooks/openapi";
import { API_RATE_LIMIT } from "@/server/services/integrations/api-keys";
import { API_BASE } from "./handle";
import { ROUTES } from "./routes";

const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    field: z.string().nullable().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details; `field` names what to fix." });

const ERROR_TEXT: Record<number, string> = {
  400: "The request is malformed or a field is invalid (the problem names the field).",
  401: "No key, an unknown key or a revoked key.",
  403: "A read key on a write route, or a clinic key on a platform route (or the other way round).",
  404: "No such thing at the key's clinic (another clinic's ids read as unknown).",
  409: "The request conflicts with what exists (the problem says what).",
  412: "A precondition is not met (the problem says which).",
  422: "This Idempotency-Key was used with another request.",
  429: `Past the key's rate limit (${API_RATE_LIMIT.limit} requests a minute); retry after \`Retry-After\` seconds.`,
};

const problemExample = (status: number) => ({
  type: `urn:referrals:problem:${status === 400 ? "validation" : "example"}`,
  title: "Error",
  status,
  detail: ERROR_TEXT[status] ?? "Error",
  field: status === 400 ? "email" : null,
});

/** OpenAPI 3.1 of /api/v1, generated from the routes' own zod schemas (never written by hand). */
export function openApiDocument() {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "A key from the console (Settings, Integrations): `Authorization: Bearer rk_…`. Read keys call GET routes and quotes; write keys call everything.",
  });
  const idempotencyHeader = (required: boolean) =>
    z.object({ "Idempotency-Key": (required ? z.string() : z.string().optional()).meta({ description: "Same key and body: the first answer again. Same key, other body: 422.", example: "9b1f0c6e-order-88213" }) });

  for (const route of ROUTES) {
    const errors = [...new Set([401, 403, 429, ...route.errors])].sort();
    registry.registerPath({
      method: route.method === "GET" ? "get" : route.method === "DELETE" ? "delete" : "post",
      path: `${API_BASE}${route.path}`,
      operationId: route.operationId,
      summary: route.summary,
      description: `${route.description ?? route.summary}\n\nKey: ${route.audience === "platform" ? "platform" : "clinic"}, ${route.scope} scope.`,
      tags: [route.tag],
      security: [{ [bearer.name]: [] }],
      request: {
        params: route.params,
        query: route.query,
        headers: route.idempotency === "none" ? undefined : idempotencyHeader(route.idempotency === "required"),
        body: route.body ? { required: true, content: { "application/json": { schema: route.body, example: route.bodyExample } } } : undefined,
      },
      responses: {
        [route.status]: { description: route.status === 201 ? "Created" : "OK", content: { "application/json": { schema: route.response, example: route.responseExample } } },
        ...Object.fromEntries(
          errors.map((status) => [status, { description: ERROR_TEXT[status] ?? "Error", content: { "application/problem+json": { schema: problemSchema, example: problemExample(status) } } }]),
        ),
      },
    });
  }
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Referrals API",
      version: "1.0.0",
      description: "Patients, referrals, rewards, orders, credit at the clinic's own checkout (rule A7), appointments and the partner program. Errors are application/problem+json (RFC 9457).",
    },
    servers: [{ url: "/" }],
    security: [{ apiKey: [] }],
  });
  // Rule A4: what the outgoing webhooks send, one entry per catalog event.
  return { ...document, webhooks: openApiWebhooks() };
}
