import { textValues } from "@/app/_components/form-state";

export const TEXT_FIELDS = ["referrerName", "referrerEmail", "referrerPhone", "referrerOrganization", "practiceName", "contactName", "practiceEmail", "practicePhone", "website", "addressLine", "city", "region", "postalCode"] as const;
export const CHECKS = ["ageConfirmed", "noConflictDeclared", "termsAccepted"] as const;
const OTHER = ["relationship", "country", "nickname", "idempotencyKey"] as const;

/** The form as sent, in text, to fill it again: a ticked box is "on". */
export const sentValues = (data: FormData) => textValues(data, [...TEXT_FIELDS, ...OTHER, ...CHECKS]);

/** The form as the procedure's input (rule B1); the shared schema judges it. */
export function referralInput(values: Record<string, string>) {
  return { ...values, ...Object.fromEntries(CHECKS.map((name) => [name, values[name] === "on"])) };
}
