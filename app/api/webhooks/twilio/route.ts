import twilio from "twilio";
import { getDb } from "@/server/db";
import { env } from "@/server/env";
import { logError } from "@/server/log";
import { handleInboundSms, validTwilioSignature } from "@/server/messaging/inbound-sms";

/** Inbound SMS (STOP / START / HELP), verified by X-Twilio-Signature against the public URL Twilio called. */
export async function POST(request: Request) {
  if (!env.TWILIO_AUTH_TOKEN) return new Response("SMS is not configured", { status: 404 });
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    // Issue 19 item 10: Twilio always posts a form; anything else is refused, not a 500.
    return new Response("Expected a form body (application/x-www-form-urlencoded).", { status: 400 });
  }
  const params: Record<string, string> = {};
  for (const [name, value] of form) if (typeof value === "string") params[name] = value;
  const url = `${env.APP_URL.replace(/\/$/, "")}/api/webhooks/twilio`;
  if (!validTwilioSignature(env.TWILIO_AUTH_TOKEN, request.headers.get("x-twilio-signature"), url, params)) {
    return new Response("Bad signature", { status: 403 });
  }
  try {
    const reply = await handleInboundSms(await getDb(), { from: params.From ?? "", body: params.Body ?? "" });
    const twiml = new twilio.twiml.MessagingResponse();
    if (reply) twiml.message(reply);
    return new Response(twiml.toString(), { headers: { "content-type": "text/xml" } });
  } catch (error) {
    logError("webhook:twilio", error);
    return new Response("Try again", { status: 500 });
  }
}
