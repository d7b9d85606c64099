import { z } from "zod";
import { sessionUserId } from "@/server/auth/config";
import { getDb } from "@/server/db";
import { openPatientArchive } from "@/server/services/patient-archive";
import { archiveResponse } from "@/server/http/archive-response";

/** Rule N3: staff download one patient's data for them; audited. Thin: the service decides. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) return new Response("That patient link is not valid.", { status: 404, headers: { "cache-control": "no-store" } });
  return archiveResponse(await openPatientArchive(await getDb(), { userId: await sessionUserId(), patientId: id }));
}
