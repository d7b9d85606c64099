import { and, asc, eq, lte, min } from "drizzle-orm";
import { b2bCustomers, b2bPayments, b2bReferrals, b2bRewards, partnerReferrers } from "@/db/schema";
import { type PlatformContext, withTransaction } from "@/server/kernel/context";

/**
 * Rule B4, cent rounding: the share is computed on each payment's own cents and rounded half
 * up to a whole cent (10% of $333.35 is $33.34; 10% of $333.25 is $33.33). Integer arithmetic
 * only, so no binary fraction ever decides a cent.
 */
export function shareOf(amountCents: number, basisPoints: number): number {
  return Math.floor((amountCents * basisPoints + 5_000) / 10_000);
}

/** "2025-01-31" plus one month is "2025-02-28": the day is kept where the month has it. */
export function addMonths(isoDate: string, months: number): string {
  const [y = 0, m = 1, d = 1] = isoDate.split("-").map(Number);
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = total % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${year}-${String(month + 1).padStart(2, "0")}-${String(Math.min(d, lastDay)).padStart(2, "0")}`;
}

type Referral = typeof b2bReferrals.$inferSelect;
type Payment = typeof b2bPayments.$inferSelect;

/**
 * Rule B4 (b): a share of a maintenance payment actually received, for a period that starts
 * within the first `shareMonths` months of the contract and not after the contract ended.
 * Month 24 of a 24-month share is paid; month 25 is not.
 */
export function shareApplies(referral: Referral, payment: Payment): boolean {
  if (referral.rewardPlan !== "recurring_share" || payment.kind !== "maintenance" || !referral.contractStart) return false;
  if (payment.periodStart < referral.contractStart) return false;
  if (payment.periodStart >= addMonths(referral.contractStart, referral.shareMonths)) return false;
  return !referral.contractEnd || payment.periodStart <= referral.contractEnd;
}

export async function grantShare(ctx: PlatformContext, input: { referral: Referral; payment: Payment }): Promise<void> {
  const { referral, payment } = input;
  if (!shareApplies(referral, payment)) return;
  const amountCents = shareOf(payment.amountCents, referral.shareBasisPoints);
  if (amountCents <= 0) return;
  await ctx.db
    .insert(b2bRewards)
    .values({
      referralId: referral.id,
      plan: "recurring_share",
      referrerId: referral.referrerId,
      paymentId: payment.id,
      amountCents,
      settlement: "payout",
      earnedOn: payment.receivedOn,
      memo: `${referral.shareBasisPoints / 100}% of ${referral.practiceName}'s payment for ${payment.periodStart} to ${payment.periodEnd}`,
    })
    // One share per payment: `b2b_rewards_one_share_per_payment`.
    .onConflictDoNothing();
}

/**
 * Rule B4 (a): once the practice has launched and paid, the referrer earns the flat credit,
 * once per practice (`b2b_rewards_one_flat_per_practice`). It is credited on the referrer's next
 * invoice; a referrer who prepaid a year gets it refunded unless their renewal falls within
 * the 6 months after the launch, in which case the renewal invoice carries it. A referrer
 * who is not a customer is paid it out.
 */
export async function grantFlatCredit(ctx: PlatformContext, input: { referralId: string; asOf: string }): Promise<void> {
  const tx = ctx.db;
  const [referral] = await tx.select().from(b2bReferrals).where(eq(b2bReferrals.id, input.referralId));
  if (!referral || referral.rewardPlan !== "flat_credit" || referral.status !== "won" || !referral.launchDate) return;
  if (referral.launchDate > input.asOf || referral.flatCreditCents <= 0) return;
  const [paid] = await tx
    .select({ first: min(b2bPayments.receivedOn) })
    .from(b2bPayments)
    .where(and(eq(b2bPayments.referralId, referral.id), lte(b2bPayments.receivedOn, input.asOf)));
  if (!paid?.first) return;

  const [customer] = await tx
    .select({ billingCycle: b2bCustomers.billingCycle, nextBillingDate: b2bCustomers.nextBillingDate, renewalDate: b2bCustomers.renewalDate })
    .from(partnerReferrers)
    .innerJoin(b2bCustomers, eq(b2bCustomers.id, partnerReferrers.customerId))
    .where(eq(partnerReferrers.id, referral.referrerId));
  const launch = referral.launchDate;
  let settlement: "invoice_credit" | "refund" | "payout" = "payout";
  let applyOn: string | null = null;
  if (customer?.billingCycle === "annual") {
    const renewal = customer.renewalDate;
    const renewsSoon = !!renewal && renewal >= launch && renewal <= addMonths(launch, 6);
    settlement = renewsSoon ? "invoice_credit" : "refund";
    applyOn = renewsSoon ? renewal : null;
  } else if (customer) {
    settlement = "invoice_credit";
    applyOn = customer.nextBillingDate;
  }
  await tx
    .insert(b2bRewards)
    .values({
      referralId: referral.id,
      plan: "flat_credit",
      referrerId: referral.referrerId,
      amountCents: referral.flatCreditCents,
      settlement,
      applyOn,
      earnedOn: paid.first > launch ? paid.first : launch,
      memo: `Flat credit for referring ${referral.practiceName}`,
    })
    .onConflictDoNothing();
}

/** The daily catch-up: practices whose launch date has now arrived, having already paid. */
export async function grantDueFlatCredits(ctx: PlatformContext, input: { asOf: string }): Promise<void> {
  const { asOf } = input;
  const due = await ctx.db
    .select({ id: b2bReferrals.id })
    .from(b2bReferrals)
    .where(and(eq(b2bReferrals.status, "won"), eq(b2bReferrals.rewardPlan, "flat_credit"), lte(b2bReferrals.launchDate, asOf)))
    .orderBy(asc(b2bReferrals.id));
  for (const { id } of due) await withTransaction(ctx, (tx) => grantFlatCredit(tx, { referralId: id, asOf }));
}

export async function rewardsOf(ctx: PlatformContext, input: { referralId: string }) {
  return ctx.db.select().from(b2bRewards).where(eq(b2bRewards.referralId, input.referralId)).orderBy(asc(b2bRewards.earnedOn), asc(b2bRewards.createdAt));
}
