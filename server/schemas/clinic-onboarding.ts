import { z } from "zod";
import { emailField } from "./account";
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
