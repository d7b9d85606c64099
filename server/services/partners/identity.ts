import { phoneE164, websiteDomain, type Country } from "@/server/schemas/b2b";

/** Rule B2: the normalized identities a practice is recognised by, however it was typed. */

/** Mail hosts shared by many unrelated practices: their domain says nothing about who the practice is. */
const SHARED_MAIL_DOMAINS = new Set(
  "gmail.com googlemail.com yahoo.com yahoo.ca outlook.com hotmail.com hotmail.ca live.com live.ca msn.com icloud.com me.com aol.com protonmail.com proton.me gmx.com mail.com comcast.net verizon.net att.net sbcglobal.net shaw.ca rogers.com sympatico.ca bell.net telus.net videotron.ca".split(
    " ",
  ),
);

export function emailDomain(email: string): string | null {
  const domain = email.trim().toLowerCase().split("@")[1] ?? "";
  return domain && !SHARED_MAIL_DOMAINS.has(domain) ? domain.replace(/^www\./, "") : null;
}

const NAME_NOISE = new Set(["the", "llc", "inc", "pc", "pllc", "ltd", "corp", "co", "pa", "professional", "corporation"]);

/** "The Smile Co., LLC" and "smile co" are the same name. */
export function normalizeName(name: string): string {
  return name
    .toLowerCase()
    .replaceAll("&", " and ")
    .replace(/[^a-z0-9]+/g, " ")
    .split(" ")
    .filter((word) => word && !NAME_NOISE.has(word))
    .join(" ");
}

export function normalizePostal(postal: string, country: Country): string {
  const compact = postal.toUpperCase().replace(/[^A-Z0-9]/g, "");
  return country === "US" ? compact.slice(0, 5) : compact;
}

export function namePostalKey(name: string, postal: string, country: Country): string {
  return `${normalizeName(name)}|${country}|${normalizePostal(postal, country)}`;
}

/** A referrer's phone as their profile keeps it: E.164 where it parses, as typed where it doesn't. */
export const referrerPhone = (typed: string) => phoneE164(typed, "US") ?? phoneE164(typed, "OTHER") ?? typed;

export type PracticeIdentity = { kind: "domain" | "phone" | "name_postal"; value: string };
const KIND_ORDER = { domain: 0, phone: 1, name_postal: 2 } as const;

/**
 * Every identity of a practice, in one fixed order. Claiming them in the same order in every
 * transaction means two submissions never wait on each other in a cycle.
 */
export function practiceIdentities(p: { website: string | null; email: string; phone: string; name: string; postalCode: string; country: Country }): PracticeIdentity[] {
  const domains = new Set([p.website ? websiteDomain(p.website) : null, emailDomain(p.email)].filter((d): d is string => !!d));
  const phone = phoneE164(p.phone, p.country);
  const identities: PracticeIdentity[] = [
    ...[...domains].map((value) => ({ kind: "domain" as const, value })),
    ...(phone ? [{ kind: "phone" as const, value: phone }] : []),
    { kind: "name_postal", value: namePostalKey(p.name, p.postalCode, p.country) },
  ];
  return identities.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}
