import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import { type ImportRowData, type ImportRowError, patientImportRows, patientImports, users } from "@/db/schema";
import { enqueue } from "@/server/queue/boss";
import { sendPortalInvitation } from "@/server/auth/account-links";
import { auditBy } from "@/server/kernel/audit";
import { withTransaction, type ServiceContext } from "@/server/kernel/context";
import { createPatients } from "@/server/services/patients/create";
import { DomainError } from "@/server/kernel/errors";
import { normalizeEmail, normalizePhone } from "@/server/kernel/contact";
import { MAX_KEPT_ERRORS, type ParsedFile } from "./parse";

export const IMPORT_BATCH = 1000;
const INSERT_CHUNK = 5000;

/**
 * Keeps a file's valid rows and what was wrong with the rest; `start` queues the import at once
 * (the procedure), otherwise it waits as a draft for staff to look at the preview (the upload).
 */
export async function createImport(ctx: ServiceContext, input: { file: ParsedFile; start: boolean; sendInvitations: boolean }) {
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const [row] = await tx
      .insert(patientImports)
      .values({
        clinicId,
        createdById: actor.kind === "staff" ? actor.id : null,
        state: input.start ? "queued" : "draft",
        totalRows: input.file.totalRows,
        invalidRows: input.file.invalidRows,
        errors: input.file.errors,
        sendInvitations: input.sendInvitations,
      })
      .returning({ id: patientImports.id });
    if (!row) throw new Error("the import was not created");
    for (let i = 0; i < input.file.rows.length; i += INSERT_CHUNK) {
      await tx.insert(patientImportRows).values(input.file.rows.slice(i, i + INSERT_CHUNK).map((r) => ({ importId: row.id, rowNumber: r.rowNumber, data: r.data })));
    }
    await auditBy(tx, actor, { clinicId, action: "patients.import", targetType: "patient_import", targetId: row.id, after: { rows: input.file.totalRows, valid: input.file.rows.length } });
    if (input.start) await enqueue(tx, "patients.import", { clinicId, importId: row.id });
    return row.id;
  });
}

/** Staff start a draft after its preview; a second click starts nothing more. */
export async function startImport(ctx: ServiceContext, input: { importId: string; sendInvitations: boolean }) {
  return withTransaction(ctx, async ({ db: tx, clinicId }) => {
    const [row] = await tx
      .update(patientImports)
      .set({ state: "queued", sendInvitations: input.sendInvitations })
      .where(and(eq(patientImports.id, input.importId), eq(patientImports.clinicId, clinicId), eq(patientImports.state, "draft")))
      .returning({ id: patientImports.id });
    if (row) {
      await enqueue(tx, "patients.import", { clinicId, importId: row.id });
      return;
    }
    const [existing] = await tx.select({ state: patientImports.state }).from(patientImports).where(and(eq(patientImports.id, input.importId), eq(patientImports.clinicId, clinicId)));
    // Rule N1: another clinic's import is as absent as one that never existed.
    if (!existing) throw new DomainError("not_found", "That import was not found.");
  });
}

type Existing = { externalId: string | null; emailNormalized: string; phoneNormalized: string | null };

/** Issue 13: a row matches a patient by the clinic's external id first, then email, then phone. */
function matchOf(data: ImportRowData, seen: { external: Set<string>; email: Set<string>; phone: Set<string> }): { field: string; by: string } | null {
  if (data.externalId && seen.external.has(data.externalId)) return { field: "external_id", by: "external id" };
  if (seen.email.has(normalizeEmail(data.email))) return { field: "email", by: "email" };
  const phone = normalizePhone(data.phone);
  if (phone && seen.phone.has(phone)) return { field: "phone", by: "phone" };
  return null;
}

function remember(seen: { external: Set<string>; email: Set<string>; phone: Set<string> }, row: Existing) {
  if (row.externalId) seen.external.add(row.externalId);
  seen.email.add(row.emailNormalized);
  if (row.phoneNormalized) seen.phone.add(row.phoneNormalized);
}

/**
 * One batch of an import, in one transaction with its counters: the rows done, the patients
 * created with their codes (rule P2) and events. A crash rolls the batch back and the next try
 * takes it again, so nothing is imported twice; a match updates nothing and is reported (P6).
 */
export async function importBatch(ctx: ServiceContext, input: { importId: string; batchSize?: number }): Promise<{ done: boolean }> {
  return withTransaction(ctx, async (service) => {
    const tx = service.db;
    const [job] = await tx.select().from(patientImports).where(eq(patientImports.id, input.importId)).for("update");
    if (!job || job.state === "done" || job.state === "draft" || job.state === "failed") return { done: true };
    const rows = await tx
      .select({ rowNumber: patientImportRows.rowNumber, data: patientImportRows.data })
      .from(patientImportRows)
      .where(and(eq(patientImportRows.importId, job.id), eq(patientImportRows.done, false)))
      .orderBy(asc(patientImportRows.rowNumber))
      .limit(input.batchSize ?? IMPORT_BATCH);
    if (!rows.length) {
      await tx.update(patientImports).set({ state: "done" }).where(eq(patientImports.id, job.id));
      return { done: true };
    }

    const externals = rows.flatMap((r) => (r.data.externalId ? [r.data.externalId] : []));
    const emails = rows.map((r) => normalizeEmail(r.data.email));
    const phones = rows.flatMap((r) => normalizePhone(r.data.phone) ?? []);
    const existing = await tx
      .select({ externalId: users.externalId, emailNormalized: users.emailNormalized, phoneNormalized: users.phoneNormalized })
      .from(users)
      .where(
        and(
          eq(users.clinicId, job.clinicId),
          or(externals.length ? inArray(users.externalId, externals) : undefined, inArray(users.emailNormalized, emails), phones.length ? inArray(users.phoneNormalized, phones) : undefined),
        ),
      );
    const seen = { external: new Set<string>(), email: new Set<string>(), phone: new Set<string>() };
    for (const row of existing) remember(seen, row);

    const errors: ImportRowError[] = [];
    const fresh: typeof rows = [];
    for (const row of rows) {
      const match = matchOf(row.data, seen);
      if (match) errors.push({ row: row.rowNumber, field: match.field, message: `Matches an existing patient by ${match.by}; skipped, nothing changed.` });
      else {
        fresh.push(row);
        remember(seen, { externalId: row.data.externalId, emailNormalized: normalizeEmail(row.data.email), phoneNormalized: normalizePhone(row.data.phone) });
      }
    }
    // A staff account with the same email, or a twin row another batch took first, makes no account.
    const created = await createPatients({ ...service, clinicId: job.clinicId }, { source: "import", patients: fresh.map(({ data }) => data) });
    const createdEmails = new Set(created.map((u) => u.email));
    for (const row of fresh) {
      if (!createdEmails.has(row.data.email)) errors.push({ row: row.rowNumber, field: "email", message: "This email already has an account at the clinic; skipped, nothing changed." });
    }
    // The optional invitation to claim the portal (a password-setting link), sent with the batch.
    if (job.sendInvitations) for (const u of created) await sendPortalInvitation(tx, { id: u.id, email: u.email, firstName: u.firstName, clinicId: job.clinicId });
    await tx
      .update(patientImportRows)
      .set({ done: true })
      .where(and(eq(patientImportRows.importId, job.id), inArray(patientImportRows.rowNumber, rows.map((r) => r.rowNumber))));
    errors.sort((a, b) => a.row - b.row);
    const room = Math.max(0, MAX_KEPT_ERRORS - job.errors.length);
    await tx
      .update(patientImports)
      .set({
        state: "running",
        processedRows: sql`${patientImports.processedRows} + ${rows.length}`,
        imported: sql`${patientImports.imported} + ${created.length}`,
        skipped: sql`${patientImports.skipped} + ${rows.length - created.length}`,
        errors: [...job.errors, ...errors.slice(0, room)],
      })
      .where(eq(patientImports.id, job.id));
    return { done: false };
  });
}

/**
 * The queued job: batches until the import is done or the time slice is spent, then queues its
 * own continuation, so no job outlives the queue's short expiry and a killed worker's import
 * resumes from its last committed batch.
 */
export async function workImport(ctx: ServiceContext, input: { importId: string; sliceMs?: number; now?: () => number }) {
  const now = input.now ?? Date.now;
  // Well inside the queue's 30 s expiry, so a live worker's slice is never taken for a dead one's.
  const until = now() + (input.sliceMs ?? 15_000);
  for (;;) {
    const { done } = await importBatch(ctx, { importId: input.importId });
    if (done) return { done: true };
    if (now() >= until) {
      await withTransaction(ctx, (tx) => enqueue(tx.db, "patients.import", { clinicId: ctx.clinicId, importId: input.importId }));
      return { done: false };
    }
  }
}

export async function importStatus(ctx: ServiceContext, input: { importId: string }) {
  const [row] = await ctx.db.select().from(patientImports).where(and(eq(patientImports.id, input.importId), eq(patientImports.clinicId, ctx.clinicId)));
  if (!row || row.state === "draft") throw new DomainError("not_found", "That import was not found.");
  const total = row.totalRows - row.invalidRows;
  return { state: row.state, total, processed: row.processedRows, imported: row.imported, skipped: row.skipped, errors: row.errors };
}
