import { openApiDocument } from "@/server/api/openapi";

/** The OpenAPI 3.1 document, open without a key; built from the routes' zod schemas once per process. */
let document: ReturnType<typeof openApiDocument> | undefined;

export function GET() {
  document ??= openApiDocument();
  return Response.json(document, { headers: { "cache-control": "public, max-age=300" } });
}
