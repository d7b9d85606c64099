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
