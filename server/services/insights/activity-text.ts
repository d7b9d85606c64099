import type { EVENT_TYPES } from "@/db/schema/events";
import { formatCents } from "@/server/schemas/money";

type EventType = (typeof EVENT_TYPES)[number];

/** One event with the people it involves, as short names (rule N3: least data shown). */
export type DescribedEvent = {
  type: EventType;
  channel: string | null;
  utmCampaign: string | null;
  amountCents: number | null;
  detail: Record<string, unknown> | null;
  patient: string | null;
  referrer: string | null;
  referee: string | null;
  actor: string | null;
};

const CHANNEL_WORDS: Record<string, string> = { sms: "SMS", email: "email", qr: "a QR code", copy: "a copied link", share: "the share menu", other: "another channel" };

const REASON_WORDS: Record<string, string> = {
  self_referral: "not eligible: self-referral",
  existing_patient: "not eligible: already a patient",
  referrer_disabled: "not eligible: the referrer's account is disabled",
  rejected: "rejected",
};

const possessive = (name: string) => (name.endsWith("s") ? `${name}'` : `${name}'s`);
const text = (value: unknown) => (typeof value === "string" && value.trim() ? value.trim() : null);

/** Rule C2: each event in plain words, e.g. "Click from SMS on Alex P.'s link". */
export function describeEvent(e: DescribedEvent): { summary: string; note: string | null } {
  const who = e.patient ?? "a former patient";
  const referral = e.referee && e.referrer ? `the referral of ${e.referee} by ${e.referrer}` : "a referral";
  const by = e.actor ? ` by ${e.actor}` : "";
  const amount = e.amountCents === null ? "" : formatCents(Math.abs(e.amountCents));
  const reason = text(e.detail?.reason);
  const note = reason ? `Reason: ${reason}` : null;
  switch (e.type) {
    case "click": {
      const via = e.channel ? ` from ${CHANNEL_WORDS[e.channel] ?? e.channel}` : "";
      const campaign = e.utmCampaign ? ` (campaign “${e.utmCampaign}”)` : "";
      return { summary: `Click${via} on ${possessive(who)} link${campaign}`, note: null };
    }
    case "sign_up": {
      const how = e.detail?.source === "typed_code" ? `with ${possessive(who)} code` : `through ${who}`;
      const ineligible = text(e.detail?.ineligibleReason);
      const suffix = ineligible ? ` (${REASON_WORDS[ineligible] ?? "not eligible"})` : "";
      return { summary: `${e.referee ?? "A new patient"} signed up ${how}${suffix}`, note: null };
    }
    case "flag":
      return { summary: `${capital(referral)} was flagged for review`, note: note ?? flagNote(e.detail) };
    case "approval":
      return { summary: `${capital(referral)} was approved${by}`, note };
    case "rejection":
      return { summary: `${capital(referral)} was rejected${by}`, note };
    case "qualification":
      return { summary: `${capital(referral)} qualified: both rewards are due`, note: null };
    case "reward":
      return { summary: `Reward ${amount} to ${who}`, note: null };
    case "redemption":
      return { summary: `${amount} credit applied to ${possessive(who)} order`, note: null };
    case "adjustment": {
      const sign = (e.amountCents ?? 0) < 0 ? "removed from" : "added to";
      return { summary: `${amount} credit ${sign} ${possessive(who)} balance${by}`, note };
    }
    case "override":
      return { summary: `Referral record of ${who} changed by hand${by}`, note };
    case "reversal":
      return { summary: `Reward ${amount} to ${who} reversed${by}`, note };
    case "expiry":
      return { summary: `${amount} of ${possessive(who)} credit expired`, note: null };
    case "code_rotation":
      return { summary: `${possessive(who)} referral code was replaced${by}`, note };
    default:
      return { summary: `Referral event for ${who}`, note };
  }
}

function capital(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}

function flagNote(detail: Record<string, unknown> | null): string | null {
  const kind = text(detail?.kind) ?? text(detail?.flag);
  return kind ? `Why: ${kind.replaceAll("_", " ")}` : null;
}
