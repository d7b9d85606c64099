/**
 * Identity normalization for rule P6: the same mailbox or phone, however it is typed,
 * counts as the same person.
 */
const DOTLESS_DOMAINS = new Set(["gmail.com", "googlemail.com"]);

export function normalizeEmail(email: string): string {
  const [rawLocal = "", rawDomain = ""] = email.trim().toLowerCase().split("@");
  const domain = rawDomain === "googlemail.com" ? "gmail.com" : rawDomain;
  let local = rawLocal.split("+")[0] ?? "";
  if (DOTLESS_DOMAINS.has(domain)) local = local.replaceAll(".", "");
  return `${local}@${domain}`;
}

/** Digits with the country code; a 10-digit number is taken as North American (+1). */
export function normalizePhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const digits = phone.replace(/\D/g, "");
  if (!digits) return null;
  return digits.length === 10 ? `1${digits}` : digits;
}

/**
 * The address an SMS goes to and a STOP is kept under (E.164, "+" and the digits): the one form
 * the outbox, the suppression list and erasure all use (rule N7).
 */
export function smsAddress(phone: string | null | undefined): string | null {
  const digits = normalizePhone(phone);
  return digits ? `+${digits}` : null;
}

/** "Jane D." — how a referee is shown to the person who referred them (rule P15). */
export function firstNameLastInitial(firstName: string, lastName: string): string {
  const initial = lastName.trim().charAt(0).toUpperCase();
  return initial ? `${firstName.trim()} ${initial}.` : firstName.trim();
}
