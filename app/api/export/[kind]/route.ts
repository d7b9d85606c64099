import { authorize, refusalResponse } from "@/server/auth/guard";
import { requestSession } from "@/server/auth/request-session";
import { getDb } from "@/server/db";
import { openExport } from "@/server/services/insights/exports";

/** Rule C6: a CSV export of the caller's clinic, streamed batch by batch. Thin: the guard says who, the service what. */
export async function GET(request: Request, { params }: { params: Promise<{ kind: string }> }) {
  const { kind } = await params;
  const db = await getDb();
  const caller = await authorize(db, await requestSession(request), "staff");
  if (!caller.ok) return refusalResponse(caller);
  const result = await openExport(db, caller, { kind, query: new URL(request.url).searchParams });
  if (!result.ok) {
    return new Response(result.message, { status: result.status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
  }
  return new Response(result.stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${result.filename}"`,
      // Patient data: never kept by a browser or proxy cache (rule N3).
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
