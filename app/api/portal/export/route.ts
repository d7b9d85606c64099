import { sessionUserId } from "@/server/auth/config";
import { getDb } from "@/server/db";
import { openPatientArchive } from "@/server/services/patient-archive";
import { archiveResponse } from "@/server/http/archive-response";

/** Rule N3: a patient downloads their own data. */
export async function GET() {
  return archiveResponse(await openPatientArchive(await getDb(), { userId: await sessionUserId(), patientId: null }));
}
