import { authorize } from "@/server/auth/guard";
import { requestSession } from "@/server/auth/request-session";
import { getDb } from "@/server/db";
import { readLimitedBody } from "@/server/http/limits";
import { CSV_UPLOAD_LIMIT } from "@/server/schemas/patient-import";
import { uploadImport } from "@/server/services/patients/import/upload";

const noStore = { "cache-control": "no-store" };

/**
 * Issue 13: the upload of a patient CSV (the file itself as the body, text/csv), up to 20 MB,
 * answering its preview. Thin: the service decides who may and what the file says.
 */
export async function POST(request: Request) {
  const db = await getDb();
  // The guard first: a stranger's upload is not even read.
  const caller = await authorize(db, await requestSession(request), "admin");
  if (!caller.ok) return Response.json({ error: { message: caller.message } }, { status: caller.status, headers: noStore });
  const limited = await readLimitedBody(request, CSV_UPLOAD_LIMIT);
  if (!limited.ok) return Response.json({ error: { message: "That file is larger than 20 MB. Split it into smaller files." } }, { status: 413, headers: noStore });
  const bytes = new Uint8Array(await limited.request.arrayBuffer());
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return Response.json({ error: { message: "That file is not UTF-8 text. Save it from your spreadsheet as CSV UTF-8 and try again." } }, { status: 400, headers: noStore });
  }
  const result = await uploadImport({ db, actor: caller.actor, clinicId: caller.clinicId }, { text });
  if (!result.ok) return Response.json({ error: { message: result.message, field: result.field ?? null } }, { status: result.status, headers: noStore });
  return Response.json(result.preview, { headers: noStore });
}
