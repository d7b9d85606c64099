import { getDb } from "@/server/db";
import { requestFingerprint } from "@/server/http/clicks";
import { receiveInbound } from "@/server/services/integrations/inbound/receive";

export const dynamic = "force-dynamic";

/** Larger bodies are no provider event of ours. */
const MAX_BODY_BYTES = 512 * 1024;
const SIGNATURE_HEADERS = { stripe: "stripe-signature", calendly: "calendly-webhook-signature", typeform: "typeform-signature" } as const;

/**
 * Rule A5: inbound provider events. Verified, stored and queued; answered at once, processed by
 * the queue. A bad or stale signature gets 400 and stores nothing but a count; past 60 a minute
 * from one network or to one endpoint, 429 (issue 19). A paused or deleted endpoint is 404.
 */
export async function POST(request: Request, { params }: { params: Promise<{ provider: string; endpointId: string }> }) {
  const { provider, endpointId } = await params;
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_BODY_BYTES) return Response.json({ error: "The body is too large." }, { status: 413 });
  const body = await request.text();
  if (Buffer.byteLength(body) > MAX_BODY_BYTES) return Response.json({ error: "The body is too large." }, { status: 413 });
  const header = SIGNATURE_HEADERS[provider as keyof typeof SIGNATURE_HEADERS];
  const networkHash = requestFingerprint(request.headers, null).ipHash;
  const outcome = await receiveInbound({ db: await getDb() }, { provider, endpointId, body, signature: header ? request.headers.get(header) : null, networkHash });
  switch (outcome.kind) {
    case "unknown":
      return Response.json({ error: "No such webhook endpoint." }, { status: 404 });
    case "refused":
      return Response.json({ error: "The signature does not verify." }, { status: 400 });
    case "limited":
      return Response.json({ error: "Too many requests with signatures that do not verify. Try again later." }, { status: 429, headers: { "retry-after": String(outcome.retryAfterSeconds) } });
    case "duplicate":
      return Response.json({ received: true, duplicate: true });
    case "accepted":
      return Response.json({ received: true });
  }
}
