import twilio from "twilio";
import { getDb } from "@/server/db";
import { env } from "@/server/env";
import { logError } from "@/server/log";
import { handleInboundSms, validTwilioSignature } from "@/server/messaging/inbound-sms";

/** Inbound SMS (STOP / START / HELP), verified by X-Twilio-Signature against the public URL Twilio called. */
export async function POST(request: Request) {
  if (!env.TWILIO_AUTH_TOKEN) return new Response("SMS is not configured", { status: 404 });
  const form = await request.formData();
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
