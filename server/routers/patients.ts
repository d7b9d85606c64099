import { z } from "zod";
import { LEDGER_KINDS, LEDGER_UNITS, REFERRAL_STATUSES } from "@/db/schema";
import { patientRecord } from "@/server/services/patient-record";
import { router, staffProcedure } from "@/server/trpc";

const shortPerson = z.object({ id: z.uuid(), name: z.string() });

export const patientsRouter = router({
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
        ledger: z.array(
          z.object({
            id: z.uuid(),
            kind: z.enum(LEDGER_KINDS),
            unit: z.enum(LEDGER_UNITS),
            amountCents: z.number().int(),
            memo: z.string(),
            expiresAt: z.date().nullable(),
            createdAt: z.date(),
          }),
        ),
      }),
    )
    .query(({ ctx, input }) => patientRecord(ctx.db, { clinicId: ctx.clinicId, patientId: input.patientId, actorId: ctx.userId })),
});
