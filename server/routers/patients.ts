import { z } from "zod";
import { REFERRAL_STATUSES } from "@/db/schema";
import { ledgerEntryOutput } from "@/server/schemas/rewards";
import { deskPatientInput } from "@/server/schemas/account";
import { patientActionInput } from "@/server/schemas/controls";
import { erasePatient } from "@/server/services/patients/erasure";
import { addPatientAtDesk } from "@/server/services/patients/front-desk";
import { patientRecord } from "@/server/services/patients/record";
import { importCsvInput, importPreviewOutput, importStatusOutput, previewCsvInput } from "@/server/schemas/patient-import";
import { parseImportFile } from "@/server/services/patients/import/parse";
import { previewOf } from "@/server/services/patients/import/preview";
import { createImport, importStatus, startImport } from "@/server/services/patients/import/run";
import { adminProcedure, router, staffProcedure } from "@/server/trpc";

const shortPerson = z.object({ id: z.uuid(), name: z.string() });

export const patientsRouter = router({
  /** Issue 13: what an import of this CSV would do, row by row; nothing is stored. */
  previewCsv: adminProcedure
    .input(previewCsvInput)
    .output(importPreviewOutput)
    .mutation(({ input }) => previewOf(parseImportFile(input.csv), null)),

  /** Issue 13 (rules P2, P6): imports the clinic's existing patients as a queued job. */
  importCsv: adminProcedure
    .input(importCsvInput)
    .output(z.object({ jobId: z.uuid() }))
    .mutation(async ({ ctx, input }) => ({
      jobId: await createImport(ctx.service, { file: parseImportFile(input.csv), start: true, sendInvitations: input.sendInvitations }),
    })),

  /** Starts an import uploaded through /api/patients/import after its preview. */
  startImport: adminProcedure
    .input(z.object({ jobId: z.uuid(), sendInvitations: z.boolean().default(false) }))
    .output(z.object({ jobId: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      await startImport(ctx.service, { importId: input.jobId, sendInvitations: input.sendInvitations });
      return { jobId: input.jobId };
    }),

  importStatus: adminProcedure
    .input(z.object({ jobId: z.uuid("That import link is not valid.") }))
    .output(importStatusOutput)
    .query(({ ctx, input }) => importStatus(ctx.service, { importId: input.jobId })),

  /** Rules P2, P5, P6: the front desk adds a patient, with the code of whoever sent them if any. */
  add: staffProcedure
    .input(deskPatientInput)
    .output(z.object({ patientId: z.uuid(), referralId: z.uuid().nullable(), notice: z.string().nullable() }))
    .mutation(({ ctx, input }) => addPatientAtDesk(ctx.service, input)),

  /** Rule N3: erasure on request (admins only); the request's reason is audited. */
  erase: adminProcedure
    .input(patientActionInput)
    .output(z.object({ patientId: z.uuid(), alreadyErased: z.boolean() }))
    .mutation(({ ctx, input }) => erasePatient(ctx.service, input)),

  /** Rule N3: a patient's record for staff; every call is written to the audit log. */
  record: staffProcedure
    .input(z.object({ patientId: z.uuid("That patient link is not valid.") }))
    .output(
      z.object({
        patient: z.object({
          id: z.uuid(),
          firstName: z.string(),
          lastName: z.string(),
          email: z.string(),
          emailVerified: z.boolean(),
          phone: z.string().nullable(),
          smsConsent: z.boolean(),
          joinedAt: z.date(),
          disabled: z.boolean(),
        }),
        code: z.string().nullable(),
        balanceCents: z.number().int(),
        referredBy: z.object({ referralId: z.uuid(), status: z.enum(REFERRAL_STATUSES), createdAt: z.date(), referrer: shortPerson }).nullable(),
        referralsMade: z.array(
          z.object({
            id: z.uuid(),
            status: z.enum(REFERRAL_STATUSES),
            ineligibleReason: z.string().nullable(),
            createdAt: z.date(),
            qualifiedAt: z.date().nullable(),
            referee: shortPerson,
          }),
        ),
        ledger: z.array(ledgerEntryOutput),
      }),
    )
    .query(({ ctx, input }) => patientRecord(ctx.service, { patientId: input.patientId })),
});
