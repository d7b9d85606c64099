import { eq } from "drizzle-orm";
import twilio from "twilio";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { normalizePhone, smsAddress } from "@/server/kernel/contact";
import { liftSmsStop, suppress } from "./consent";

const STOP_WORDS = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"]);
const START_WORDS = new Set(["START", "YES", "UNSTOP"]);

/** Twilio's documented check of X-Twilio-Signature: HMAC-SHA1 over the URL and the sorted form fields. */
export function validTwilioSignature(authToken: string, signature: string | null, url: string, params: Record<string, string>): boolean {
  return !!signature && twilio.validateRequest(authToken, signature, url, params);
}

/**
 * Rule N7: an inbound STOP stops SMS to that number from every clinic it is a patient of, at
 * once (queued SMS included, since consent is read again at sending); START lifts it; HELP
 * answers with who is writing and how to stop. Returns the reply to send back, if any.
 */
export async function handleInboundSms(db: Db, input: { from: string; body: string }): Promise<string | null> {
  const digits = normalizePhone(input.from);
  const address = smsAddress(input.from);
  const word = input.body.trim().toUpperCase();
  if (!digits || !address) return null;
  const clinicIds = [...new Set((await db.select({ clinicId: users.clinicId }).from(users).where(eq(users.phoneNormalized, digits))).map((r) => r.clinicId))];
  if (STOP_WORDS.has(word)) {
    for (const clinicId of clinicIds) await suppress(db, { clinicId, address, kind: "*", reason: "sms_stop" });
    return null;
  }
  if (START_WORDS.has(word)) {
    for (const clinicId of clinicIds) await liftSmsStop(db, { clinicId, address });
    return null;
  }
  if (word === "HELP" || word === "INFO") return "Referral program messages from your clinic. Reply STOP to stop, START to resume.";
  return null;
}
