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
    .query(({ ctx, input }) => reviewQueue(ctx.service, input)),
  referral: platformProcedure.output(referralDetailOutput).input(referralIdInput).query(async ({ ctx, input }) => ({
    ...(await referralDetail(ctx.service, { referralId: input.referralId })),
    payments: await paymentsOf(ctx.service, { referralId: input.referralId }),
    rewards: await rewardsOf(ctx.service, { referralId: input.referralId }),
  })),
  startReview: platformProcedure.output(transitionOutput).input(referralIdInput).mutation(({ ctx, input }) => startReview(ctx.service, input)),
  accept: platformProcedure.output(transitionOutput).input(referralIdInput).mutation(({ ctx, input }) => acceptReferral(ctx.service, input)),
  reject: platformProcedure.output(transitionOutput).input(rejectInput).mutation(({ ctx, input }) => rejectReferral(ctx.service, input)),
  markWon: platformProcedure.output(contractOutput).input(markWonInput).mutation(({ ctx, input }) => markWon(ctx.service, input)),
  markLost: platformProcedure.output(transitionOutput).input(markLostInput).mutation(({ ctx, input }) => markLost(ctx.service, input)),
  endContract: platformProcedure.output(contractOutput).input(endContractInput).mutation(({ ctx, input }) => endContract(ctx.service, input)),
  recordPayment: platformProcedure.output(recordPaymentOutput).input(recordPaymentInput).mutation(({ ctx, input }) => recordPayment(ctx.service, input)),

  customers: platformProcedure.output(z.array(customerOutput)).query(({ ctx }) => listCustomers(ctx.service)),
  saveCustomer: platformProcedure.output(customerOutput).input(customerInput.extend({ id: z.uuid().optional() })).mutation(({ ctx, input }) => saveCustomer(ctx.service, input)),
  importCustomers: platformProcedure.output(importOutput).input(csvImportInput).mutation(({ ctx, input }) => importCustomers(ctx.service, { csv: input.csv })),
  prospects: platformProcedure.output(z.array(prospectOutput)).query(({ ctx }) => listProspects(ctx.service)),
  saveProspect: platformProcedure.output(prospectOutput).input(prospectInput.extend({ id: z.uuid().optional() })).mutation(({ ctx, input }) => saveProspect(ctx.service, input)),
  importProspects: platformProcedure.output(importOutput).input(csvImportInput).mutation(({ ctx, input }) => importProspects(ctx.service, { csv: input.csv })),

  program: platformProcedure.output(b2bProgramOutput).query(({ ctx }) => getB2bProgram(ctx.service)),
  updateProgram: platformProcedure.output(b2bProgramOutput).input(programSettingsInput).mutation(({ ctx, input }) => updateB2bProgram(ctx.service, input)),

  payoutRuns: platformProcedure.output(payoutRunsOutput).query(({ ctx }) => listRuns(ctx.service)),
  payoutRun: platformProcedure.output(payoutRunOutput).input(monthInput).query(({ ctx, input }) => runDetail(ctx.service, { month: input.month })),
  runPayouts: platformProcedure.output(runPayoutsOutput).input(monthInput).mutation(({ ctx, input }) => runPayouts(ctx.service, { month: input.month })),
  approveRun: platformProcedure.output(approveRunOutput).input(monthInput).mutation(({ ctx, input }) => approveRun(ctx.service, { month: input.month })),
  markPaid: platformProcedure.output(markPaidOutput).input(markPaidInput).mutation(({ ctx, input }) => markItemPaid(ctx.service, input)),
  /** Reward lines of a month, for the CSV export and a referrer's statement. */
  payoutLines: platformProcedure.output(payoutLinesOutput)
    .input(monthInput.extend({ referrerId: z.uuid().optional() }))
    .query(({ ctx, input }) => runLines(ctx.service, input)),

  messages: platformProcedure.output(messagesOutput).query(({ ctx }) => listMessages(ctx.db, { limit: 200 })),
});
