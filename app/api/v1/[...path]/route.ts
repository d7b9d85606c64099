import { handleApiRequest } from "@/server/api/handle";
import { getDb } from "@/server/db";

/** The REST API: one thin edge over the route table (server/api/routes); the services decide. */
const handle = async (request: Request) => handleApiRequest(request, { db: await getDb() });

export const GET = handle;
export const POST = handle;
export const PUT = handle;
export const PATCH = handle;
export const DELETE = handle;
export const dynamic = "force-dynamic";
