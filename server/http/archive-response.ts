import type { ArchiveOutcome } from "@/server/services/patients/archive";

/** A patient's archive as a download, never cached (rule N3). */
export function archiveResponse(result: ArchiveOutcome): Response {
  if (!result.ok) return new Response(result.message, { status: result.status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
  return new Response(new Blob([result.zip as Uint8Array<ArrayBuffer>]), {
    headers: {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="${result.filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
