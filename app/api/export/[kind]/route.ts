import { authorize, refusalResponse } from "@/server/auth/guard";
import { requestSession } from "@/server/auth/request-session";
import { getDb } from "@/server/db";
import { exportInput } from "@/server/schemas/exports";
import { exportAccess, openExport } from "@/server/services/insights/exports";

const text = (status: number, message: string) => new Response(message, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });

/**
 * Rule C6: a CSV export of the caller's clinic, streamed batch by batch. Thin: the guard says who,
 * the schema reads the query into the export's filter, the service does the rest.
 */
export async function GET(request: Request, { params }: { params: Promise<{ kind: string }> }) {
  const { kind } = await params;
  const db = await getDb();
  const caller = await authorize(db, await requestSession(request), "staff");
  if (!caller.ok) return refusalResponse(caller);
  // No such export, or not for this role, whatever the query says.
  const access = exportAccess(caller.user.role, kind);
  if (!access.ok) return text(access.status, access.message);
  const input = exportInput.safeParse({ kind: access.kind, filter: Object.fromEntries(new URL(request.url).searchParams) });
  if (!input.success) return text(400, input.error.issues[0]?.message ?? "Check the filter.");
  const result = await openExport({ db, actor: caller.actor, clinicId: caller.clinicId }, { ...input.data, role: caller.user.role });
  if (!result.ok) return text(result.status, result.message);
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
