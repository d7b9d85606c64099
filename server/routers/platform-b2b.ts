import { z } from "zod";
import { B2B_REFERRAL_STATUSES } from "@/db/schema";
import {
  csvImportInput,
  customerInput,
  endContractInput,
  markLostInput,
  markPaidInput,
  markWonInput,
  monthInput,
  programSettingsInput,
  prospectInput,
  recordPaymentInput,
  referralIdInput,
  rejectInput,
} from "@/server/schemas/b2b";
import { importCustomers, importProspects, listCustomers, listProspects, saveCustomer, saveProspect } from "@/server/services/b2b/crm";
import { acceptReferral, endContract, markLost, markWon, referralDetail, rejectReferral, reviewQueue, startReview } from "@/server/services/b2b/lifecycle";
import { listMessages } from "@/server/services/b2b/outbox";
import { paymentsOf, recordPayment } from "@/server/services/b2b/payments";
import { approveRun, listRuns, markItemPaid, runDetail, runLines, runPayouts } from "@/server/services/b2b/payouts";
import { getB2bProgram, updateB2bProgram } from "@/server/services/b2b/program";
import { rewardsOf } from "@/server/services/b2b/rewards";
import { platformProcedure, router } from "@/server/trpc";

/** The platform team's side of the partner program (rules B2-B4, B6); platform admins only. */
export const platformB2bRouter = router({
  queue: platformProcedure
    .input(z.object({ status: z.enum([...B2B_REFERRAL_STATUSES, "open", "all"]).default("open") }))
    .query(({ ctx, input }) => reviewQueue(ctx.db, input)),
  referral: platformProcedure.input(referralIdInput).query(async ({ ctx, input }) => ({
    ...(await referralDetail(ctx.db, input.referralId)),
    payments: await paymentsOf(ctx.db, input.referralId),
    rewards: await rewardsOf(ctx.db, input.referralId),
  })),
  startReview: platformProcedure.input(referralIdInput).mutation(({ ctx, input }) => startReview(ctx.db, { ...input, actorId: ctx.userId })),
  accept: platformProcedure.input(referralIdInput).mutation(({ ctx, input }) => acceptReferral(ctx.db, { ...input, actorId: ctx.userId })),
  reject: platformProcedure.input(rejectInput).mutation(({ ctx, input }) => rejectReferral(ctx.db, { ...input, actorId: ctx.userId })),
  markWon: platformProcedure.input(markWonInput).mutation(({ ctx, input }) => markWon(ctx.db, { ...input, actorId: ctx.userId })),
  markLost: platformProcedure.input(markLostInput).mutation(({ ctx, input }) => markLost(ctx.db, { ...input, actorId: ctx.userId })),
  endContract: platformProcedure.input(endContractInput).mutation(({ ctx, input }) => endContract(ctx.db, { ...input, actorId: ctx.userId })),
  recordPayment: platformProcedure.input(recordPaymentInput).mutation(({ ctx, input }) => recordPayment(ctx.db, { ...input, actorId: ctx.userId })),

  customers: platformProcedure.query(({ ctx }) => listCustomers(ctx.db)),
  saveCustomer: platformProcedure.input(customerInput.extend({ id: z.uuid().optional() })).mutation(({ ctx, input }) => saveCustomer(ctx.db, input)),
  importCustomers: platformProcedure.input(csvImportInput).mutation(({ ctx, input }) => importCustomers(ctx.db, input.csv)),
  prospects: platformProcedure.query(({ ctx }) => listProspects(ctx.db)),
  saveProspect: platformProcedure.input(prospectInput.extend({ id: z.uuid().optional() })).mutation(({ ctx, input }) => saveProspect(ctx.db, input)),
  importProspects: platformProcedure.input(csvImportInput).mutation(({ ctx, input }) => importProspects(ctx.db, input.csv)),

  program: platformProcedure.query(({ ctx }) => getB2bProgram(ctx.db)),
  updateProgram: platformProcedure.input(programSettingsInput).mutation(({ ctx, input }) => updateB2bProgram(ctx.db, input, ctx.userId)),

  payoutRuns: platformProcedure.query(({ ctx }) => listRuns(ctx.db)),
  payoutRun: platformProcedure.input(monthInput).query(({ ctx, input }) => runDetail(ctx.db, input.month)),
  runPayouts: platformProcedure.input(monthInput).mutation(({ ctx, input }) => runPayouts(ctx.db, { month: input.month, actorId: ctx.userId })),
  approveRun: platformProcedure.input(monthInput).mutation(({ ctx, input }) => approveRun(ctx.db, { month: input.month, actorId: ctx.userId })),
  markPaid: platformProcedure.input(markPaidInput).mutation(({ ctx, input }) => markItemPaid(ctx.db, { ...input, actorId: ctx.userId })),
  /** Reward lines of a month, for the CSV export and a referrer's statement. */
  payoutLines: platformProcedure
    .input(monthInput.extend({ referrerId: z.uuid().optional() }))
    .query(({ ctx, input }) => runLines(ctx.db, input)),

  messages: platformProcedure.query(({ ctx }) => listMessages(ctx.db, { limit: 200 })),
});
