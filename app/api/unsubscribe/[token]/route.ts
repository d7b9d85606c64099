import { getDb } from "@/server/db";
import { logError } from "@/server/log";
import { unsubscribe } from "@/server/messaging/consent";

/** RFC 8058 one-click unsubscribe: the mail client POSTs "List-Unsubscribe=One-Click" here (rule A2). */
export async function POST(_request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  try {
    const done = await unsubscribe(await getDb(), token);
    return new Response(done ? "Unsubscribed" : "Unknown link", { status: done ? 200 : 404 });
  } catch (error) {
    logError("unsubscribe", error);
    return new Response("Try again", { status: 500 });
  }
}
