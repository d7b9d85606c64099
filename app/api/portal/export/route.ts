import { authorize, refusalResponse } from "@/server/auth/guard";
import { requestSession } from "@/server/auth/request-session";
import { getDb } from "@/server/db";
import { openPatientArchive } from "@/server/services/patients/archive";
import { archiveResponse } from "@/server/http/archive-response";

/** Rule N3: a patient downloads their own data. */
export async function GET(request: Request) {
  const db = await getDb();
  const caller = await authorize(db, await requestSession(request), "patient");
  if (!caller.ok) return refusalResponse(caller);
  return archiveResponse(await openPatientArchive({ db, actor: caller.actor, clinicId: caller.clinicId }, { patientId: null }));
}
