import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";
import { z } from "zod";
import { calendarDate } from "./dates";
import { multiLine, publicName, singleLine, token } from "./text";
import { emailField } from "./account";
import { centsField } from "./money";

/** Client-safe schemas of the practice partner program (rules B1-B6), shared by forms and procedures. */

export const US_STATES = "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR VI GU AS MP".split(" ");
export const CA_PROVINCES = "AB BC MB NB NL NS NT NU ON PE QC SK YT".split(" ");
export const COUNTRIES = { US: "United States", CA: "Canada", OTHER: "Another country" } as const;
export type Country = keyof typeof COUNTRIES;

export const RELATIONSHIPS = {
  practice_staff: "I work at another practice",
  practice_owner: "I own or run another practice",
  consultant: "Consultant or vendor to practices",
  patient: "Patient of the practice",
  other: "Other",
} as const;

const US_ZIP = /^\d{5}(-\d{4})?$/;
const CA_POSTAL = /^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d$/i;

/** US and Canadian numbers share +1; elsewhere the number must carry its country code. */
export function phoneE164(phone: string, country: Country): string | null {
  const parsed = parsePhoneNumberFromString(phone, country === "OTHER" ? undefined : (country as CountryCode));
  if (!parsed?.isValid()) return null;
  if (country !== "OTHER" && parsed.countryCallingCode !== "1") return null;
  return parsed.number;
}

export function postalCodeProblem(postal: string, country: Country): string | null {
  if (country === "US") return US_ZIP.test(postal) ? null : "Enter a US ZIP code like 12345 or 12345-6789.";
  if (country === "CA") return CA_POSTAL.test(postal) ? null : "Enter a Canadian postal code like K1A 0B1.";
  return postal.length >= 2 ? null : "Enter the postal code.";
}

/** The host of a website as typed ("https://www.Example.com/about" -> "example.com"), or null. */
export function websiteDomain(website: string): string | null {
  const trimmed = website.trim().toLowerCase();
  if (!trimmed) return null;
  try {
    const host = new URL(/^[a-z]+:\/\//.test(trimmed) ? trimmed : `https://${trimmed}`).hostname.replace(/^www\./, "");
    return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host) && /[a-z]/.test(host.split(".").at(-1) ?? "") ? host : null;
  } catch {
    return null;
  }
}

const text = (label: string, max = 120) => singleLine().min(1, `Enter ${label}.`).max(max, `Use at most ${max} characters for ${label}.`);
const mustAgree = (message: string) => z.boolean().refine((v) => v, message);

/** Rule B1. Names are quoted in mail to other people, so they carry no links (issue 19). */
export const submitReferralInput = z
  .object({
    referrerName: publicName("your name", 80),
    referrerEmail: emailField,
    referrerPhone: singleLine().min(1, "Enter your phone number.").max(30, "That phone number is too long."),
    referrerOrganization: publicName("your practice or organization", 120),
    relationship: z.enum(Object.keys(RELATIONSHIPS) as [keyof typeof RELATIONSHIPS], "Choose how you know the practice."),
    practiceName: publicName("the practice's name", 120),
    contactName: publicName("a contact person at the practice", 80),
    practiceEmail: emailField,
    practicePhone: singleLine().min(1, "Enter the practice's phone number.").max(30, "That phone number is too long."),
    website: singleLine()
      .max(200, "That web address is too long.")
      .refine((v) => v === "" || websiteDomain(v) !== null, "Enter a web address like example.com, or leave it empty."),
    addressLine: text("the street address", 160),
    city: text("the city", 80),
    region: singleLine().max(80, "That region is too long."),
    postalCode: singleLine().toUpperCase().max(12, "That postal code is too long."),
    country: z.enum(["US", "CA", "OTHER"], "Choose the practice's country."),
    ageConfirmed: mustAgree("Confirm that you are 18 or older."),
    noConflictDeclared: mustAgree("Confirm that you are not an employee or family member of the practice or of the platform."),
    termsAccepted: mustAgree("Accept the partner program terms to continue."),
    /** A field people never see; anything in it marks the sender as a bot. */
    nickname: singleLine().max(200).default(""),
    idempotencyKey: token(8, 100),
  })
  .superRefine((v, ctx) => {
    // Rule B1: US and Canadian formats where the practice is there.
    if (!phoneE164(v.referrerPhone, "US") && !phoneE164(v.referrerPhone, "OTHER")) {
      ctx.addIssue({ code: "custom", path: ["referrerPhone"], message: "Enter a valid phone number with area code, like 555-201-5555." });
    }
    if (v.practicePhone && !phoneE164(v.practicePhone, v.country)) {
      ctx.addIssue({
        code: "custom",
        path: ["practicePhone"],
        message: v.country === "OTHER" ? "Enter the practice's number with its country code, like +44 20 7946 0000." : "Enter a valid US or Canadian phone number with area code.",
      });
    }
    const regions = v.country === "US" ? US_STATES : v.country === "CA" ? CA_PROVINCES : null;
    if (regions && !regions.includes(v.region.toUpperCase())) {
      ctx.addIssue({ code: "custom", path: ["region"], message: v.country === "US" ? "Choose the state." : "Choose the province or territory." });
    }
    const postal = postalCodeProblem(v.postalCode, v.country);
    if (postal) ctx.addIssue({ code: "custom", path: ["postalCode"], message: postal });
  });
export type SubmitReferralInput = z.infer<typeof submitReferralInput>;

export const statusTokenInput = z.object({ token: token(20, 100) });
export const resendLinkInput = z.object({ email: emailField });

export const referralIdInput = z.object({ referralId: z.uuid() });
export const rejectInput = referralIdInput.extend({
  reason: multiLine().min(5, "Give the referrer a reason of at least 5 characters.").max(500, "Keep the reason under 500 characters."),
});

const isoDate = calendarDate;

export const markWonInput = referralIdInput.extend({
  contractStart: isoDate("Contract start"),
  launchDate: isoDate("Launch date"),
  plan: text("the plan", 80),
  monthlyFeeCents: centsField("Monthly maintenance fee", { max: 10_000_000 }),
});
export const markLostInput = referralIdInput.extend({ reason: multiLine().min(3, "Say why the lead was lost.").max(500) });
export const endContractInput = referralIdInput.extend({ contractEnd: isoDate("Contract end") });

export const recordPaymentInput = referralIdInput
  .extend({
    kind: z.enum(["maintenance", "other"]).default("maintenance"),
    amountCents: centsField("Payment", { min: 1, max: 100_000_000 }),
    receivedOn: isoDate("Received on"),
    periodStart: isoDate("Period start"),
    periodEnd: isoDate("Period end"),
    idempotencyKey: token(8, 100),
  })
  .refine((v) => v.periodEnd >= v.periodStart, { path: ["periodEnd"], message: "The period must end on or after its start." });

export const monthInput = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "Enter a month as YYYY-MM.") });
export const markPaidInput = z.object({ itemId: z.uuid(), reference: text("the payment reference", 120) });

const crmBase = {
  name: text("the practice's name"),
  website: singleLine().max(200).default("").refine((v) => v === "" || websiteDomain(v) !== null, "Enter a web address like example.com, or leave it empty."),
  phone: singleLine().max(30).default(""),
  postalCode: singleLine().toUpperCase().min(2, "Enter the postal code.").max(12),
  country: z.enum(["US", "CA", "OTHER"], "Country must be US, CA or OTHER."),
};
export const customerInput = z.object({
  ...crmBase,
  status: z.enum(["active", "former"]).default("active"),
  billingCycle: z.enum(["monthly", "annual"]).default("monthly"),
  nextBillingDate: isoDate("Next billing date").nullable().default(null),
  renewalDate: isoDate("Renewal date").nullable().default(null),
});
export const prospectInput = z.object({ ...crmBase, status: z.enum(["active", "closed"]).default("active"), owner: singleLine().max(80).default("") });
export const csvImportInput = z.object({ csv: multiLine().min(1, "Choose a CSV file.").max(1_000_000, "Import at most 1 MB at a time.") });

export const programSettingsInput = z.object({
  rewardPlan: z.enum(["flat_credit", "recurring_share"]),
  flatCreditCents: centsField("Flat credit", { max: 10_000_000 }),
  shareBasisPoints: z.number().int().min(0).max(10_000, "The share is at most 100%."),
  shareMonths: z.number().int().min(1, "Pay the share for at least 1 month.").max(120, "Pay the share for at most 120 months."),
  audience: z.enum(["anyone", "customers_only"]),
  /** Rule B4: a new label for new terms; submissions keep the version they were made under. */
  termsVersion: singleLine().min(1, "Name the terms version, like 2026-01.").max(20, "Keep the terms version under 20 characters.").optional(),
});
