import { z } from "zod";

// Rule N4, one policy for control characters. C0 and C1 controls, DEL and the Unicode line and
// paragraph separators: invisible, and NUL is refused by PostgreSQL outright.
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// Multi-line text keeps what a text area produces: line breaks and tabs.
const CONTROL_BUT_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/;

export const hasControlCharacters = (value: string) => ANY_CONTROL.test(value);

const SINGLE_LINE_MESSAGE = "Remove the invisible control characters (such as tabs, line breaks or null bytes) from this field.";
const MULTI_LINE_MESSAGE = "Remove the invisible control characters from this text; line breaks and tabs are fine.";

/** A one-line field (a name, an email, a code, a search): trimmed, no control characters at all. */
export const singleLine = () => z.string().trim().refine((v) => !ANY_CONTROL.test(v), SINGLE_LINE_MESSAGE);

/** Free text from a text area (terms, reasons, templates): trimmed, line breaks and tabs only. */
export const multiLine = () => z.string().trim().refine((v) => !CONTROL_BUT_BREAKS.test(v), MULTI_LINE_MESSAGE);

/** A machine token (idempotency keys and the like): printable ASCII only, untrimmed. */
export const token = (min: number, max: number) =>
  z.string().min(min).max(max).regex(/^[\x21-\x7e]+$/, "That key has characters it may not contain.");

// Issue 19: what a mail client would turn into a live link. Full-width and other look-alike
// characters are folded first (NFKC), so "ｗｗｗ．evil．com" is read as "www.evil.com".
const URL_SCHEME = /(?:^|[^a-z0-9+.-])(?:[a-z][a-z0-9+.-]*:\/\/|(?:https?|ftp|javascript|vbscript|data|file|mailto):)/i;
const WWW = /(?:^|[^a-z0-9])www\d{0,3}\./i;
// A bare host like "evil-clinic.com" or "bit.ly/x": labels joined by dots ending in a top-level
// domain that mail clients link. Initials ("J.R."), "Dr. Shah" and "D.D.S." stay ordinary names.
const BARE_DOMAIN =
  /(?:^|[^a-z0-9.-])[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.(?:com|net|org|info|biz|io|co|us|ca|uk|de|fr|ru|cn|in|au|eu|me|ly|to|gl|gg|tv|cc|ws|xyz|top|app|dev|site|online|link|click|shop|store|live|life|health|clinic|dental|care|club|vip|win|bid|icu|pw|tk|ml|ga|cf|gq|su|zip|mov)(?![a-z0-9-])/i;

/** Whether a name holds a link or web address (a URL scheme, `www.` or a domain). */
export function containsLink(value: string): boolean {
  const folded = value.normalize("NFKC");
  return URL_SCHEME.test(folded) || WWW.test(folded) || BARE_DOMAIN.test(folded);
}

/**
 * A name typed by the public (a person, a practice): one line, and never a link, since it is
 * quoted in messages to other people (issue 19).
 */
export const publicName = (label: string, max: number) =>
  singleLine()
    .min(1, `Enter ${label}.`)
    .max(max, `Use at most ${max} characters for ${label}.`)
    .refine((v) => !containsLink(v), `Enter ${label} without a web address or link.`);
