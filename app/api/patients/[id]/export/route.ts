import { z } from "zod";
import { authorize, refusalResponse } from "@/server/auth/guard";
import { requestSession } from "@/server/auth/request-session";
import { getDb } from "@/server/db";
import { openPatientArchive } from "@/server/services/patients/archive";
import { archiveResponse } from "@/server/http/archive-response";

/** Rule N3: staff download one patient's data for them; audited. Thin: the guard says who, the service what. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const db = await getDb();
  const caller = await authorize(db, await requestSession(request), "staff");
  if (!caller.ok) return refusalResponse(caller);
  if (!z.uuid().safeParse(id).success) return new Response("That patient link is not valid.", { status: 404, headers: { "cache-control": "no-store" } });
  return archiveResponse(await openPatientArchive({ db, actor: caller.actor, clinicId: caller.clinicId }, { patientId: id }));
}
