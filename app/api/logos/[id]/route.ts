import { z } from "zod";
import { getDb } from "@/server/db";
import { logoById } from "@/server/services/clinics/profile";

/** A clinic's logo; each upload has its own id, so the answer never changes and is cached for a year. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const logo = z.uuid().safeParse(id).success ? await logoById({ db: await getDb() }, { logoId: id }) : null;
  if (!logo) return new Response("No such logo.", { status: 404, headers: { "cache-control": "no-store" } });
  return new Response(new Blob([new Uint8Array(logo.bytes)]), {
    headers: {
      "content-type": logo.contentType,
      "cache-control": "public, max-age=31536000, immutable",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
    },
  });
}
