import { z } from "zod";
import { emailField, phoneField } from "./account";
import { calendarDate } from "./dates";
import { singleLine } from "./text";

/** The import's columns (issue 13): the first five always, the last two when the clinic has them. */
export const IMPORT_COLUMNS = ["first_name", "last_name", "email", "phone", "external_id"] as const;
export const OPTIONAL_IMPORT_COLUMNS = ["government_payer", "patient_since"] as const;
/** Text pasted into the procedure; bigger files go through the upload route (20 MB). */
export const CSV_TEXT_LIMIT = 1024 * 1024;
export const CSV_UPLOAD_LIMIT = 20 * 1024 * 1024;

const name = (label: string) => singleLine().min(1, `Enter the ${label}.`).max(80, `The ${label} can be at most 80 characters.`);
const blankAsNull = (value: unknown) => (typeof value === "string" && value.trim() === "" ? null : value);

/** One row of the file, as staff wrote it; each bad field gets its own message. */
export const importRowSchema = z.object({
  first_name: name("first name"),
  last_name: name("last name"),
  email: emailField,
  phone: z.preprocess(blankAsNull, phoneField.nullable()).default(null),
  external_id: z.preprocess(blankAsNull, singleLine().max(100, "The external id can be at most 100 characters.").nullable()).default(null),
  government_payer: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toLowerCase() : v),
    z.enum(["", "true", "false", "yes", "no", "1", "0"], "Write true or false.").default(""),
  ),
  patient_since: z.preprocess(blankAsNull, calendarDate("Patient since").nullable()).default(null),
});

export const importCsvInput = z.object({
  csv: z.string().max(CSV_TEXT_LIMIT, "That file is over 1 MB: upload it as a file instead."),
  sendInvitations: z.boolean().default(false),
});
export const previewCsvInput = z.object({ csv: z.string().max(CSV_TEXT_LIMIT, "That file is over 1 MB: upload it as a file instead.") });

export const importErrorOutput = z.object({ row: z.int(), field: z.string(), message: z.string() });
export const importPreviewOutput = z.object({
  importId: z.uuid().nullable(),
  totalRows: z.int(),
  validRows: z.int(),
  invalidRows: z.int(),
  errors: z.array(importErrorOutput),
  sample: z.array(z.object({ row: z.int(), firstName: z.string(), lastName: z.string() })),
});
export const importStatusOutput = z.object({
  state: z.enum(["queued", "running", "done", "failed"]),
  total: z.int(),
  processed: z.int(),
  imported: z.int(),
  skipped: z.int(),
  errors: z.array(importErrorOutput),
});
