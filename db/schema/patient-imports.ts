import { boolean, index, integer, jsonb, pgEnum, pgTable, primaryKey, uuid } from "drizzle-orm/pg-core";
import { clinics } from "./clinics";
import { id, timestamps } from "./columns";
import { users } from "./users";

export const IMPORT_STATES = ["draft", "queued", "running", "done", "failed"] as const;
export const importStateEnum = pgEnum("patient_import_state", IMPORT_STATES);

export type ImportRowError = { row: number; field: string; message: string };

/**
 * A CSV import of a clinic's existing patients (rules P2, P6). The file's valid rows wait in
 * `patient_import_rows` (instances keep no files); the queued job takes them in batches, each
 * batch and the counters here in one transaction, so a crash resumes where it stopped.
 */
export const patientImports = pgTable(
  "patient_imports",
  {
    id: id(),
    clinicId: uuid()
      .notNull()
      .references(() => clinics.id, { onDelete: "cascade" }),
    createdById: uuid().references(() => users.id),
    state: importStateEnum().notNull().default("draft"),
    totalRows: integer().notNull(),
    processedRows: integer().notNull().default(0),
    imported: integer().notNull().default(0),
    skipped: integer().notNull().default(0),
    /** Rows refused at reading, and rows skipped at import with the reason; at most a few hundred kept. */
    errors: jsonb().$type<ImportRowError[]>().notNull().default([]),
    invalidRows: integer().notNull().default(0),
    sendInvitations: boolean().notNull().default(false),
    ...timestamps,
  },
  (t) => [index("patient_imports_clinic_idx").on(t.clinicId, t.createdAt)],
);

export type ImportRowData = {
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  externalId: string | null;
  governmentPayer: boolean;
  patientSince: string | null;
};

export const patientImportRows = pgTable(
  "patient_import_rows",
  {
    importId: uuid()
      .notNull()
      .references(() => patientImports.id, { onDelete: "cascade" }),
    /** The line in the file, for messages ("row 12"): the header is row 1. */
    rowNumber: integer().notNull(),
    data: jsonb().$type<ImportRowData>().notNull(),
    done: boolean().notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.importId, t.rowNumber] }), index("patient_import_rows_pending_idx").on(t.importId, t.done, t.rowNumber)],
);
