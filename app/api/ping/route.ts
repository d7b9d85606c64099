export const dynamic = "force-dynamic";

/** Liveness: answers without touching the database (readiness is /api/health). */
export function GET() {
  return Response.json({ status: "ok", time: Date.now() });
}
