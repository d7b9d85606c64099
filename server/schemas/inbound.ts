import { z } from "zod";
import { INBOUND_EVENT_STATUSES, INBOUND_PROVIDERS } from "@/db/schema/inbound";
import { submitReferralInput } from "./b2b";
import { singleLine } from "./text";

const REFERRAL_FIELDS = Object.keys(submitReferralInput.shape).filter((f) => f !== "idempotencyKey" && f !== "nickname") as [string, ...string[]];

/** Pasted from the provider's dashboard; left out, one is made here to paste there. */
const signingSecret = singleLine().min(16, "Paste the whole signing secret (at least 16 characters).").max(200, "That signing secret is too long.").optional();

export const createInboundInput = z.strictObject({
  provider: z.enum(INBOUND_PROVIDERS, { error: "Choose Stripe, Calendly or Typeform." }),
  signingSecret,
  /** Typeform: answer field ref -> practice referral field (rule B1). */
  fieldMapping: z
    .record(singleLine().min(1).max(100), z.enum(REFERRAL_FIELDS, { error: "Map each answer to a field of the referral form." }))
    .refine((m) => Object.keys(m).length <= 40, "Map at most 40 answers.")
    .optional(),
});

export const inboundEventsInput = z.strictObject({ failedOnly: z.boolean().default(false) });
export const reprocessInboundInput = z.strictObject({ inboundEventId: z.uuid() });

export const inboundEndpointOutput = z.object({
  id: z.uuid(),
  provider: z.enum(INBOUND_PROVIDERS),
  url: z.string(),
  badSignatures: z.int(),
  lastBadSignatureAt: z.date().nullable(),
  pausedAt: z.date().nullable(),
  /** Until then the secret before the last rotation also verifies. */
  previousSecretExpiresAt: z.date().nullable(),
  createdAt: z.date(),
});

// Issue 19: switching an inbound endpoint off.
export const inboundEndpointIdInput = z.strictObject({ endpointId: z.uuid() });
export const pauseInboundInput = inboundEndpointIdInput.extend({ paused: z.boolean() });
export const rotateInboundSecretInput = inboundEndpointIdInput.extend({ signingSecret });
export const rotateInboundSecretOutput = z.object({ id: z.uuid(), signingSecret: z.string(), previousExpiresAt: z.date() });

export const inboundEventOutput = z.object({
  id: z.uuid(),
  endpointId: z.uuid(),
  provider: z.enum(INBOUND_PROVIDERS),
  type: z.string(),
  status: z.enum(INBOUND_EVENT_STATUSES),
  outcome: z.string().nullable(),
  attempts: z.int(),
  receivedAt: z.date(),
  processedAt: z.date().nullable(),
});
