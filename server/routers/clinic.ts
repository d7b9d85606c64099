import { z } from "zod";
import { ATTRIBUTION_SOURCES, INELIGIBLE_REASONS, REFERRAL_STATUSES, REVIEW_STATES, REWARD_KINDS } from "@/db/schema";
import { recordOrderInput } from "@/server/schemas/orders";
import { referralFilter, searchField } from "@/server/schemas/filters";
import { programSettingsInput } from "@/server/schemas/program";
import { clinicCatalog, recordPaidOrder } from "@/server/services/orders/orders";
import { clinicPatients } from "@/server/services/patients/list";
import { clinicById, getProgram, settingsOf, updateProgram } from "@/server/services/programs/programs";
import { clinicReferrals } from "@/server/services/referrals/referrals";
import { clinicTimeZone, setClinicTimeZone } from "@/server/services/clinics/time-zones";
import { timeZoneInput } from "@/server/schemas/time-zone";
import { pointConversionInput, pointConversionOutput } from "@/server/schemas/points";
import { pointConversion, setPointConversion } from "@/server/services/rewards/points";
import { clinicProfileInput, clinicProfileOutput } from "@/server/schemas/clinic-profile";
import { clinicProfile, updateClinicProfile } from "@/server/services/clinics/profile";
import { serviceActiveInput, serviceFields, serviceOutput, serviceUpdateInput } from "@/server/schemas/services";
import { clinicServices, createService, setServiceActive, updateService } from "@/server/services/clinics/services";
import { acceptBaaInput, baaStatusOutput } from "@/server/schemas/baa";
import { acceptBaa, baaStatus } from "@/server/services/clinics/baa";
import { adminProcedure, router, staffProcedure } from "@/server/trpc";

const person = z.object({ id: z.uuid(), firstName: z.string(), lastName: z.string(), email: z.string() });

const programSettingsOutput = programSettingsInput;
const reward = z.object({ kind: z.enum(REWARD_KINDS), amount: z.number().int() });

export const clinicRouter = router({
  /** Issue 13: the clinic's public profile (name, colour, contact details, logo). */
  clinicProfile: staffProcedure.output(clinicProfileOutput).query(({ ctx }) => clinicProfile(ctx.service)),
  updateProfile: adminProcedure
    .input(clinicProfileInput)
    .output(clinicProfileOutput)
    .mutation(({ ctx, input }) => updateClinicProfile(ctx.service, input)),

  /** The clinic's services and prices, archived ones included. */
  services: staffProcedure.output(z.array(serviceOutput)).query(({ ctx }) => clinicServices(ctx.service)),
  createService: adminProcedure
    .input(serviceFields)
    .output(serviceOutput)
    .mutation(({ ctx, input }) => createService(ctx.service, input)),
  updateService: adminProcedure
    .input(serviceUpdateInput)
    .output(serviceOutput)
    .mutation(({ ctx, input }) => updateService(ctx.service, input)),
  setServiceActive: adminProcedure
    .input(serviceActiveInput)
    .output(serviceOutput)
    .mutation(({ ctx, input }) => setServiceActive(ctx.service, input)),

  /** Rule P8: how points turn into credit here, or null before the clinic sets it. */
  pointConversion: staffProcedure.output(pointConversionOutput).query(({ ctx }) => pointConversion(ctx.service)),

  /** Rules P8, C4: admins set the conversion; audited. */
  setPointConversion: adminProcedure
    .input(pointConversionInput)
    .output(pointConversionOutput.unwrap())
    .mutation(({ ctx, input }) => setPointConversion(ctx.service, input)),

  /** Issue 19: the BAA version in force and the clinic's latest acceptance. */
  baa: staffProcedure.output(baaStatusOutput).query(({ ctx }) => baaStatus(ctx.service)),
  /** Issue 19: an admin accepts the BAA for the clinic, signing with their name; audited. */
  acceptBaa: adminProcedure
    .input(acceptBaaInput)
    .output(baaStatusOutput)
    .mutation(({ ctx, input }) => acceptBaa(ctx.service, input)),

  /** The caller's own clinic, for the console header. */
  profile: staffProcedure
    .output(z.object({ name: z.string(), slug: z.string() }))
    .query(({ ctx }) => clinicById(ctx.service)),


  referrals: staffProcedure
    .input(z.object({ page: z.number().int().min(1).max(10_000).default(1), filter: referralFilter.optional() }))
    .output(
      z.object({
        total: z.number().int(),
        rows: z.array(
          z.object({
            id: z.uuid(),
            status: z.enum(REFERRAL_STATUSES),
            ineligibleReason: z.enum(INELIGIBLE_REASONS).nullable(),
            source: z.enum(ATTRIBUTION_SOURCES),
            reviewState: z.enum(REVIEW_STATES),
            referrerReward: reward,
            refereeReward: reward,
            createdAt: z.date(),
            qualifiedAt: z.date().nullable(),
            referrer: person,
            referee: person,
          }),
        ),
      }),
    )
    .query(({ ctx, input }) => clinicReferrals(ctx.service, { filter: input.filter, limit: 50, offset: (input.page - 1) * 50 })),

  patients: staffProcedure
    .input(z.object({ search: searchField }))
    .output(z.array(person.extend({ balanceCents: z.number().int() })))
    .query(({ ctx, input }) => clinicPatients(ctx.service, { search: input.search })),

  catalog: staffProcedure
    .output(z.array(z.object({ id: z.uuid(), name: z.string(), description: z.string(), priceCents: z.number().int() })))
    .query(({ ctx }) => clinicCatalog(ctx.service)),

  /** The front desk records a paid order; credit applies first (rule P9) and may qualify a referral (P7). */
  recordOrder: staffProcedure
    .input(recordOrderInput)
    .output(z.object({ id: z.uuid(), totalCents: z.number().int(), creditAppliedCents: z.number().int(), chargedCents: z.number().int() }))
    .mutation(({ ctx, input }) => recordPaidOrder(ctx.service, input)),

  /** Rules C3 and P14: the settings in force; staff may read them, admins change them. */
  program: staffProcedure
    .output(programSettingsOutput)
    .query(async ({ ctx }) => settingsOf(await getProgram(ctx.service))),

  /** Rule A6: the zone whose local days and hours the clinic's runs and dashboard follow. */
  timeZone: staffProcedure
    .input(z.void())
    .output(z.object({ timeZone: z.string() }))
    .query(({ ctx }) => clinicTimeZone(ctx.service)),

  setTimeZone: adminProcedure
    .input(timeZoneInput)
    .output(z.object({ timeZone: z.string() }))
    .mutation(({ ctx, input }) => setClinicTimeZone(ctx.service, { timeZone: input.timeZone })),

  updateProgram: adminProcedure
    .input(programSettingsInput)
    .output(programSettingsOutput)
    .mutation(async ({ ctx, input }) => settingsOf(await updateProgram(ctx.service, { settings: input }))),
});
