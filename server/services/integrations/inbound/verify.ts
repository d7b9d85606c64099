import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import Stripe from "stripe";
import type { InboundProvider } from "@/db/schema/inbound";
import { seal, type SealPurpose, unseal } from "@/server/kernel/sealed";

/** Provider signing secrets at rest, sealed with ENCRYPTION_KEY (rule A5). */
const SIGNING_SECRET: SealPurpose = { salt: "inbound-endpoint", info: "signing-secret-v1", atRest: true };
export const sealSigningSecret = (secret: string) => seal(SIGNING_SECRET, secret);
export const openSigningSecret = (sealed: string) => unseal(SIGNING_SECRET, sealed);

/** A signature older than this is refused, as Stripe's own default tolerance does. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** A secret we make when the admin pastes none (tests, or a provider that lets us choose it). */
export function newSigningSecret(provider: InboundProvider): string {
  const random = randomBytes(24).toString("base64url");
  return provider === "stripe" ? `whsec_${random}` : random;
}

/** The provider's event, verified; or why not. Header values only: HTTP stays at the edge. */
export type Verified = { ok: true; event: { id: string; type: string; payload: Record<string, unknown> } } | { ok: false; reason: string };

const equal = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

function parseJson(body: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Stripe: the `stripe` package's own check of `Stripe-Signature` (t=…,v1=…) with the endpoint's secret. */
export function verifyStripe(body: string, header: string | null, secret: string, nowSeconds?: number): Verified {
  if (!header) return { ok: false, reason: "no Stripe-Signature header" };
  try {
    const event = Stripe.webhooks.constructEvent(body, header, secret, SIGNATURE_TOLERANCE_SECONDS, undefined, nowSeconds === undefined ? undefined : nowSeconds * 1000);
    return { ok: true, event: { id: event.id, type: event.type, payload: event as unknown as Record<string, unknown> } };
  } catch {
    return { ok: false, reason: "bad or stale Stripe signature" };
  }
}

/**
 * Calendly: `Calendly-Webhook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`
 * with the webhook subscription's signing key, refused when older than the tolerance.
 */
export function verifyCalendly(body: string, header: string | null, secret: string, nowSeconds = Math.floor(Date.now() / 1000)): Verified {
  if (!header) return { ok: false, reason: "no Calendly-Webhook-Signature header" };
  const parts = Object.fromEntries(header.split(",").map((part) => part.trim().split("=", 2) as [string, string]));
  const t = parts.t;
  const v1 = parts.v1;
  if (!t || !v1 || !/^\d+$/.test(t)) return { ok: false, reason: "malformed Calendly signature" };
  const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  if (!equal(expected, v1)) return { ok: false, reason: "bad Calendly signature" };
  if (Math.abs(nowSeconds - Number(t)) > SIGNATURE_TOLERANCE_SECONDS) return { ok: false, reason: "stale Calendly signature" };
  const payload = parseJson(body);
  const type = typeof payload?.event === "string" ? payload.event : null;
  const inner = (payload?.payload ?? null) as Record<string, unknown> | null;
  // Calendly sends no event id: the invitee's URI and the event type name one happening.
  const uri = typeof inner?.uri === "string" ? inner.uri : null;
  if (!payload || !type || !uri) return { ok: false, reason: "not a Calendly invitee event" };
  return { ok: true, event: { id: `${type}:${uri}`, type, payload } };
}

/** Typeform: `Typeform-Signature: sha256=<base64 HMAC-SHA256 of the body>` with the webhook's secret. */
export function verifyTypeform(body: string, header: string | null, secret: string): Verified {
  if (!header?.startsWith("sha256=")) return { ok: false, reason: "no Typeform-Signature header" };
  const expected = `sha256=${createHmac("sha256", secret).update(body).digest("base64")}`;
  if (!equal(expected, header)) return { ok: false, reason: "bad Typeform signature" };
  const payload = parseJson(body);
  const id = typeof payload?.event_id === "string" ? payload.event_id : null;
  const type = typeof payload?.event_type === "string" ? payload.event_type : null;
  if (!payload || !id || !type) return { ok: false, reason: "not a Typeform event" };
  return { ok: true, event: { id, type, payload } };
}

export function verify(provider: InboundProvider, input: { body: string; signature: string | null; secret: string; nowSeconds?: number }): Verified {
  switch (provider) {
    case "stripe":
      return verifyStripe(input.body, input.signature, input.secret, input.nowSeconds);
    case "calendly":
      return verifyCalendly(input.body, input.signature, input.secret, input.nowSeconds);
    case "typeform":
      return verifyTypeform(input.body, input.signature, input.secret);
  }
}
