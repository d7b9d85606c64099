import { sessionUserId } from "@/server/auth/config";
import { getDb } from "@/server/db";
import { openExport } from "@/server/services/exports";

/** Rule C6: a CSV export of the caller's clinic, streamed batch by batch. Thin: the service decides. */
export async function GET(request: Request, { params }: { params: Promise<{ kind: string }> }) {
  const { kind } = await params;
  const result = await openExport(await getDb(), { userId: await sessionUserId(), kind, query: new URL(request.url).searchParams });
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
