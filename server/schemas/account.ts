import { z } from "zod";
import { hasControlCharacters, singleLine } from "./text";

export const emailField = singleLine()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .pipe(z.email("Enter a valid email address, like name@example.com."));

export const passwordField = z
  .string()
  .refine((p) => !hasControlCharacters(p), "Use letters, digits and symbols in your password, without invisible control characters.")
  .min(10, "Use at least 10 characters for your password.")
  .max(128, "Use at most 128 characters for your password.")
  .refine((p) => /[a-zA-Z]/.test(p) && /[^a-zA-Z]/.test(p), {
    message: "Use a mix of letters and numbers or symbols in your password.",
  })
  .refine((p) => !COMMON_PASSWORDS.has(p.toLowerCase()), {
    message: "That password is too common. Choose one that is harder to guess.",
  });

const COMMON_PASSWORDS = new Set(["password1!", "password123", "1234567890", "qwerty1234", "iloveyou12", "welcome123", "password12"]);

const nameField = (label: string) =>
  singleLine().min(1, `Enter your ${label}.`).max(80, `Your ${label} can be at most 80 characters.`);

export const phoneField = singleLine()
  .max(30, "That phone number is too long.")
  .refine((v) => v === "" || /^\+?[\d\s().-]{7,}$/.test(v), "Enter a phone number with digits only, like 555-123-4567.")
  .refine((v) => v === "" || v.replace(/\D/g, "").length >= 10, "Enter the full phone number, including the area code.")
  .optional();

export const referralCodeField = singleLine()
  .max(20, "That code is too long. Codes have 10 letters and numbers.")
  .optional();

export const signUpInput = z.object({
  clinicSlug: singleLine().min(1).max(80),
  firstName: nameField("first name"),
  lastName: nameField("last name"),
  email: emailField,
  phone: phoneField,
  password: passwordField,
  referralCode: referralCodeField,
  /** Rule N7: the patient's own tick beside SMS_OPT_IN_WORDING; recorded with its time and wording. */
  smsOptIn: z.boolean().optional(),
  /** Rule A2: marketing messages (the share reminder) only with this opt-in. */
  marketingOptIn: z.boolean().optional(),
});
/** Rule N7: the words beside the SMS box, stored with the tick. */
export const SMS_OPT_IN_WORDING = "Text me about my referrals and rewards. Message and data rates may apply. Reply STOP to stop, HELP for help.";
export const MARKETING_OPT_IN_WORDING = "Email me a reminder to share my referral link.";
export type SignUpInput = z.infer<typeof signUpInput>;

export const signInInput = z.object({
  email: emailField,
  password: z.string().min(1, "Enter your password.").max(128),
  /** A clinic's slug, when the email has accounts at several; empty means "whichever this password opens". */
  clinic: singleLine().max(80).optional().transform((v) => v?.trim() || undefined),
});

/** The front desk adds a patient (issue 13); the same fields as sign-up, without a password. */
export const deskPatientInput = z.object({
  firstName: singleLine().min(1, "Enter the patient's first name.").max(80, "The first name can be at most 80 characters."),
  lastName: singleLine().min(1, "Enter the patient's last name.").max(80, "The last name can be at most 80 characters."),
  email: emailField,
  phone: phoneField,
  referralCode: referralCodeField,
});
