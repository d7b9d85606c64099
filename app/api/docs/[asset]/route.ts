import { readFile } from "node:fs/promises";
import path from "node:path";
import { DOCS_CSP } from "@/server/http/security-headers";

/** Swagger UI's files, served from the installed swagger-ui-dist package (pinned in package.json). */
const FILES: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
};

const INIT = `window.addEventListener("load", function () {
  window.SwaggerUIBundle({ url: "/api/v1/openapi.json", dom_id: "#swagger-ui", deepLinking: true, tryItOutEnabled: false });
});
`;

export async function GET(_request: Request, { params }: { params: Promise<{ asset: string }> }) {
  const { asset } = await params;
  const headers = { "content-security-policy": DOCS_CSP, "cache-control": "public, max-age=86400" };
  if (asset === "init.js") return new Response(INIT, { headers: { ...headers, "content-type": "text/javascript; charset=utf-8" } });
  const type = FILES[asset];
  if (!type) return new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  const body = await readFile(path.join(process.cwd(), "node_modules", "swagger-ui-dist", asset));
  return new Response(body, { headers: { ...headers, "content-type": type } });
}
