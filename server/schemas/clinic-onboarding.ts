import { z } from "zod";
import { emailField, passwordField } from "./account";
import { baaAcceptedField } from "./baa";
import { singleLine } from "./text";
import { DEFAULT_TIME_ZONE, timeZoneName } from "./time-zone";

/** The public handle in links (`/signup/{slug}`, `/r/...` landing pages name the clinic by it). */
export const clinicSlugField = singleLine()
  .toLowerCase()
  .min(3, "Use at least 3 characters for the address.")
  .max(50, "Keep the address under 50 characters.")
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Use lower-case letters, digits and single hyphens, like maple-street.");

/** Issue 13: a platform admin adds a clinic and invites its first admin. */
export const createClinicInput = z.object({
  name: singleLine().min(2, "Enter the clinic's name.").max(120, "Keep the name under 120 characters."),
  slug: clinicSlugField,
  timeZone: timeZoneName.default(DEFAULT_TIME_ZONE),
  adminEmail: emailField,
});

const personName = (label: string) => singleLine().min(1, `Enter your ${label}.`).max(80, `Your ${label} can be at most 80 characters.`);

/**
 * Issue 13: a practice signs itself up, the clinic and its first admin in one step. The admin's
 * address is confirmed by email before the program can go live (see going-live.ts).
 */
export const startProgramInput = z.object({
  practiceName: singleLine().min(2, "Enter your practice's name.").max(120, "Keep the practice's name under 120 characters."),
  slug: clinicSlugField,
  timeZone: timeZoneName,
  firstName: personName("first name"),
  lastName: personName("last name"),
  email: emailField,
  password: passwordField,
  termsAccepted: z.boolean().refine((v) => v, "Accept the platform terms to start your program."),
  /** Issue 19: the admin accepts the platform's BAA, signing with the name above. */
  baaAccepted: baaAcceptedField,
});
export type StartProgramInput = z.output<typeof startProgramInput>;

/** The address the form suggests from the practice's name ("Maple Street Dental!" -> "maple-street-dental"); the person may edit it. */
export function suggestSlug(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 50)
    .replace(/-+$/, "");
}

/** Issue 13: why the program cannot go live yet; the pages that say it offer a new link beside it. */
export const CONFIRM_EMAIL_FIRST =
  "Confirm your email address first: open the link we emailed you, or send a new one from this page. The program can go live once an admin's address is confirmed.";
