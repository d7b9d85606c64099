import { z } from "zod";

import { DEFAULT_TIME_ZONE } from "@/db/schema/clinics";

export { DEFAULT_TIME_ZONE };

const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;

/** The zone's own spelling (e.g. "america/los_angeles" -> "America/Los_Angeles"), or null when Intl does not know it. */
export function canonicalTimeZone(name: string): string | null {
  if (!IANA_NAME.test(name)) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** An IANA time-zone name such as "America/Los_Angeles" (rule A6: daily runs and the dashboard's days follow it). */
export const timeZoneName = z
  .string()
  .trim()
  .min(1, "Choose a time zone.")
  .max(64, "That is not a time zone name.")
  .transform((name, ctx) => {
    const canonical = canonicalTimeZone(name);
    if (!canonical) {
      ctx.addIssue({ code: "custom", message: `"${name.slice(0, 64)}" is not a time zone we know. Use a name like America/Chicago.` });
      return z.NEVER;
    }
    return canonical;
  });

export const timeZoneInput = z.strictObject({ timeZone: timeZoneName });

/** The zones a person can pick from, as this runtime knows them. */
export function timeZoneChoices(): string[] {
  return Intl.supportedValuesOf("timeZone");
}

/** The calendar date (YYYY-MM-DD) that `now` falls on in `timeZone`. */
export function dateIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}
