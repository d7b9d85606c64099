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
import {
  approveRunOutput,
  b2bProgramOutput,
  contractOutput,
  customerOutput,
  importOutput,
  markPaidOutput,
  messagesOutput,
  payoutLinesOutput,
  payoutRunOutput,
  payoutRunsOutput,
  prospectOutput,
  queueRowOutput,
  recordPaymentOutput,
  referralDetailOutput,
  runPayoutsOutput,
  transitionOutput,
} from "@/server/schemas/b2b-outputs";
import { importCustomers, importProspects, listCustomers, listProspects, saveCustomer, saveProspect } from "@/server/services/partners/crm";
import { acceptReferral, endContract, markLost, markWon, referralDetail, rejectReferral, reviewQueue, startReview } from "@/server/services/partners/lifecycle";
import { listMessages } from "@/server/messaging/outbox";
import { paymentsOf, recordPayment } from "@/server/services/partners/payments";
import { approveRun, listRuns, markItemPaid, runDetail, runLines, runPayouts } from "@/server/services/partners/payouts";
import { getB2bProgram, updateB2bProgram } from "@/server/services/partners/program";
import { rewardsOf } from "@/server/services/partners/rewards";
import { platformProcedure, router } from "@/server/trpc";

/** The platform team's side of the partner program (rules B2-B4, B6); platform admins only. */
export const platformB2bRouter = router({
  queue: platformProcedure.output(z.array(queueRowOutput))
    .input(z.object({ status: z.enum([...B2B_REFERRAL_STATUSES, "open", "all"]).default("open") }))
    .query(({ ctx, input }) => reviewQueue(ctx.db, input)),
  referral: platformProcedure.output(referralDetailOutput).input(referralIdInput).query(async ({ ctx, input }) => ({
    ...(await referralDetail(ctx.db, input.referralId)),
    payments: await paymentsOf(ctx.db, input.referralId),
    rewards: await rewardsOf(ctx.db, input.referralId),
  })),
  startReview: platformProcedure.output(transitionOutput).input(referralIdInput).mutation(({ ctx, input }) => startReview(ctx.db, { ...input, actor: ctx.actor })),
  accept: platformProcedure.output(transitionOutput).input(referralIdInput).mutation(({ ctx, input }) => acceptReferral(ctx.db, { ...input, actor: ctx.actor })),
  reject: platformProcedure.output(transitionOutput).input(rejectInput).mutation(({ ctx, input }) => rejectReferral(ctx.db, { ...input, actor: ctx.actor })),
  markWon: platformProcedure.output(contractOutput).input(markWonInput).mutation(({ ctx, input }) => markWon(ctx.db, { ...input, actor: ctx.actor })),
  markLost: platformProcedure.output(transitionOutput).input(markLostInput).mutation(({ ctx, input }) => markLost(ctx.db, { ...input, actor: ctx.actor })),
  endContract: platformProcedure.output(contractOutput).input(endContractInput).mutation(({ ctx, input }) => endContract(ctx.db, { ...input, actor: ctx.actor })),
  recordPayment: platformProcedure.output(recordPaymentOutput).input(recordPaymentInput).mutation(({ ctx, input }) => recordPayment(ctx.db, { ...input, actor: ctx.actor })),

  customers: platformProcedure.output(z.array(customerOutput)).query(({ ctx }) => listCustomers(ctx.db)),
  saveCustomer: platformProcedure.output(customerOutput).input(customerInput.extend({ id: z.uuid().optional() })).mutation(({ ctx, input }) => saveCustomer(ctx.db, input)),
  importCustomers: platformProcedure.output(importOutput).input(csvImportInput).mutation(({ ctx, input }) => importCustomers(ctx.db, input.csv)),
  prospects: platformProcedure.output(z.array(prospectOutput)).query(({ ctx }) => listProspects(ctx.db)),
  saveProspect: platformProcedure.output(prospectOutput).input(prospectInput.extend({ id: z.uuid().optional() })).mutation(({ ctx, input }) => saveProspect(ctx.db, input)),
  importProspects: platformProcedure.output(importOutput).input(csvImportInput).mutation(({ ctx, input }) => importProspects(ctx.db, input.csv)),

  program: platformProcedure.output(b2bProgramOutput).query(({ ctx }) => getB2bProgram(ctx.db)),
  updateProgram: platformProcedure.output(b2bProgramOutput).input(programSettingsInput).mutation(({ ctx, input }) => updateB2bProgram(ctx.db, input, ctx.actor)),

  payoutRuns: platformProcedure.output(payoutRunsOutput).query(({ ctx }) => listRuns(ctx.db)),
  payoutRun: platformProcedure.output(payoutRunOutput).input(monthInput).query(({ ctx, input }) => runDetail(ctx.db, input.month)),
  runPayouts: platformProcedure.output(runPayoutsOutput).input(monthInput).mutation(({ ctx, input }) => runPayouts(ctx.db, { month: input.month, actor: ctx.actor })),
  approveRun: platformProcedure.output(approveRunOutput).input(monthInput).mutation(({ ctx, input }) => approveRun(ctx.db, { month: input.month, actor: ctx.actor })),
  markPaid: platformProcedure.output(markPaidOutput).input(markPaidInput).mutation(({ ctx, input }) => markItemPaid(ctx.db, { ...input, actor: ctx.actor })),
  /** Reward lines of a month, for the CSV export and a referrer's statement. */
  payoutLines: platformProcedure.output(payoutLinesOutput)
    .input(monthInput.extend({ referrerId: z.uuid().optional() }))
    .query(({ ctx, input }) => runLines(ctx.db, input)),

  messages: platformProcedure.output(messagesOutput).query(({ ctx }) => listMessages(ctx.db, { limit: 200 })),
});
