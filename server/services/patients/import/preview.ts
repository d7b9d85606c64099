import type { ParsedFile } from "./parse";

/** What staff see before an import starts: counts, each bad row's message, and a few names. */
export function previewOf(file: ParsedFile, importId: string | null) {
  return {
    importId,
    totalRows: file.totalRows,
    validRows: file.rows.length,
    invalidRows: file.invalidRows,
    errors: file.errors,
    sample: file.rows.slice(0, 5).map((r) => ({ row: r.rowNumber, firstName: r.data.firstName, lastName: r.data.lastName })),
  };
}
