import { createHmac } from "node:crypto";
import { CLICK_CHANNELS } from "@/db/schema";
import { authSecret, env } from "@/server/env";
import { clientIp } from "./forwarded";
import { hasControlCharacters } from "@/server/schemas/text";
import type { Fingerprint } from "@/server/services/referrals/fraud";
import type { ClickInput } from "@/server/services/referrals/referrals";

type Channel = (typeof CLICK_CHANNELS)[number];

/** Rule P4: the channel from `?via=`; anything unrecognised is "other", nothing at all is unknown. */
export function channelFrom(via: string | null): Channel | null {
  if (!via) return null;
  const value = via.trim().toLowerCase();
  return (CLICK_CHANNELS as readonly string[]).includes(value) ? (value as Channel) : "other";
}

/** Rule N3: an IP is kept only as a keyed hash, comparable for fraud checks, never reversible. */
export function hashIp(ip: string | null, secret: string): string | null {
  if (!ip) return null;
  return createHmac("sha256", secret).update(`ip:${ip}`).digest("hex").slice(0, 32);
}

/** Rule N4: a value with control characters is unusable and dropped; the click is still recorded. */
const usable = (value: string | null, max: number) => (value && !hasControlCharacters(value) ? value.slice(0, max) : null);

export function clickFromRequest(url: URL, headers: Headers, secret: string, hops = env.TRUSTED_PROXY_HOPS): Omit<ClickInput, "clinicId" | "codeId" | "patientId"> {
  const params = url.searchParams;
  return {
    channel: channelFrom(params.get("via")),
    utmSource: usable(params.get("utm_source"), 100),
    utmMedium: usable(params.get("utm_medium"), 100),
    utmCampaign: usable(params.get("utm_campaign"), 100),
    ipHash: hashIp(clientIp(headers, hops), secret),
    userAgent: usable(headers.get("user-agent"), 300),
  };
}

/** A first-party cookie naming this browser, set by the referral landing; only its hash is kept. */
export const DEVICE_COOKIE = "rf_device";

export function hashDevice(deviceId: string | null, secret: string): string | null {
  if (!deviceId) return null;
  return createHmac("sha256", secret).update(`device:${deviceId}`).digest("hex").slice(0, 32);
}

export function requestFingerprint(headers: Headers, deviceId: string | null, secret = authSecret(), hops = env.TRUSTED_PROXY_HOPS): Fingerprint {
  return { ipHash: hashIp(clientIp(headers, hops), secret), deviceHash: hashDevice(deviceId, secret) };
}
