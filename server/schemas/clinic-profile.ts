import { z } from "zod";
import { singleLine } from "./text";

/** Issue 13: the clinic's public profile, as its admin edits it. */
export const clinicProfileInput = z.object({
  name: singleLine().min(2, "Enter the clinic's name.").max(120, "Keep the name under 120 characters."),
  brandColor: z
    .string()
    .trim()
    .regex(/^#[0-9a-fA-F]{6}$/, "Enter the colour as # and six hex digits, like #0f766e.")
    .transform((c) => c.toLowerCase())
    .nullable(),
  addressLine: singleLine().max(200, "Keep the address under 200 characters."),
  phone: singleLine()
    .max(30, "That phone number is too long.")
    .refine((v) => v === "" || /^\+?[\d\s().-]{7,}$/.test(v), "Enter a phone number with digits, like 555-123-4567."),
  website: singleLine()
    .max(200, "Keep the website under 200 characters.")
    .refine((v) => v === "" || /^https:\/\/[^\s/]+\.[^\s]+$/.test(v), "Enter the website's full address, starting with https://."),
});

export const clinicProfileOutput = clinicProfileInput.extend({ brandColor: z.string().nullable(), logoUrl: z.string().nullable() });

export const LOGO_MAX_BYTES = 1024 * 1024;
