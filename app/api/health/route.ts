import { sql } from "drizzle-orm";
import { getDb } from "@/server/db";
import { queueHealth } from "@/server/queue/boss";

export const dynamic = "force-dynamic";

export async function GET() {
  try {
    const db = await getDb();
    await db.execute(sql`select 1`);
    return Response.json({ status: "ok", db: "ok", queue: await queueHealth(db) });
  } catch {
    return Response.json({ status: "error", db: "unreachable" }, { status: 503 });
  }
}
