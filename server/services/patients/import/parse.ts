import { parse } from "csv-parse/sync";
import type { ImportRowData, ImportRowError } from "@/db/schema";
import { IMPORT_COLUMNS, importRowSchema, OPTIONAL_IMPORT_COLUMNS } from "@/server/schemas/patient-import";
import { DomainError } from "@/server/kernel/errors";

export const MAX_IMPORT_ROWS = 200_000;
/** Shown and kept per import: enough to fix a file, not a copy of it. */
export const MAX_KEPT_ERRORS = 500;

export type ParsedFile = { rows: { rowNumber: number; data: ImportRowData }[]; errors: ImportRowError[]; invalidRows: number; totalRows: number };

const KNOWN = new Set<string>([...IMPORT_COLUMNS, ...OPTIONAL_IMPORT_COLUMNS]);

/**
 * Reads the clinic's CSV (rule N4): a wrong header stops it whole with a message naming the
 * column; a bad row gets a readable message per field and is left out, the rest go on.
 */
export function parseImportFile(text: string): ParsedFile {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: false, max_record_size: 10_000 });
  } catch {
    throw new DomainError("invalid", "That file is not a readable CSV. Save it from your spreadsheet as CSV (comma separated) and try again.", "csv");
  }
  const [header, ...body] = records;
  if (!header) throw new DomainError("invalid", `The file is empty. Its first row names the columns: ${IMPORT_COLUMNS.join(",")}.`, "csv");
  const columns = header.map((c) => c.trim().toLowerCase());
  const missing = IMPORT_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length) throw new DomainError("invalid", `The first row must name the columns ${IMPORT_COLUMNS.join(",")}; missing: ${missing.join(", ")}.`, "csv");
  const unknown = columns.filter((c) => !KNOWN.has(c));
  if (unknown.length) throw new DomainError("invalid", `Unknown column "${unknown[0]}". The columns are ${[...IMPORT_COLUMNS, ...OPTIONAL_IMPORT_COLUMNS].join(", ")}.`, "csv");
  if (body.length > MAX_IMPORT_ROWS) throw new DomainError("invalid", `That file has ${body.length.toLocaleString("en-US")} rows; import at most ${MAX_IMPORT_ROWS.toLocaleString("en-US")} at a time.`, "csv");

  const parsed: ParsedFile = { rows: [], errors: [], invalidRows: 0, totalRows: body.length };
  body.forEach((cells, index) => {
    const rowNumber = index + 2;
    const record = Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? ""]));
    const result = importRowSchema.safeParse(record);
    if (!result.success) {
      parsed.invalidRows += 1;
      for (const issue of result.error.issues) {
        if (parsed.errors.length < MAX_KEPT_ERRORS) parsed.errors.push({ row: rowNumber, field: String(issue.path[0] ?? "row"), message: issue.message });
      }
      return;
    }
    const r = result.data;
    parsed.rows.push({
      rowNumber,
      data: {
        firstName: r.first_name,
        lastName: r.last_name,
        email: r.email.toLowerCase(),
        phone: r.phone ?? null,
        externalId: r.external_id,
        governmentPayer: ["true", "yes", "1"].includes(r.government_payer),
        patientSince: r.patient_since,
      },
    });
  });
  return parsed;
}
