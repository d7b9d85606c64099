import { authorize } from "@/server/auth/guard";
import { requestSession } from "@/server/auth/request-session";
import { getDb } from "@/server/db";
import { readLimitedBody } from "@/server/http/limits";
import { LOGO_MAX_BYTES } from "@/server/schemas/clinic-profile";
import { uploadLogo } from "@/server/services/clinics/profile";

const noStore = { "cache-control": "no-store" };

/** Issue 13: a clinic admin uploads the logo (the image itself as the body), with its own 1 MB limit. */
export async function POST(request: Request) {
  const db = await getDb();
  // The guard first: a stranger's upload is not even read.
  const caller = await authorize(db, await requestSession(request), "admin");
  if (!caller.ok) return Response.json({ error: { message: caller.message } }, { status: caller.status, headers: noStore });
  const limited = await readLimitedBody(request, LOGO_MAX_BYTES);
  if (!limited.ok) return Response.json({ error: { message: "The logo is larger than 1 MB. Use a smaller image." } }, { status: 413, headers: noStore });
  const bytes = new Uint8Array(await limited.request.arrayBuffer());
  const result = await uploadLogo({ db, actor: caller.actor, clinicId: caller.clinicId }, { bytes });
  if (!result.ok) return Response.json({ error: { message: result.message } }, { status: result.status, headers: noStore });
  return Response.json({ logoUrl: result.logoUrl }, { headers: noStore });
}
