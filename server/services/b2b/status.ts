import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { b2bReferrals, partnerReferrers, partnerStatusTokens } from "@/db/schema";
import { DomainError } from "@/server/services/errors";
import { appUrl, enqueueMessage, statusPath } from "./outbox";
import { hashToken, issueStatusToken } from "./tokens";

type Status = (typeof b2bReferrals.$inferSelect)["status"];

/** What a referrer reads for each status (rule B5). */
export const STATUS_TEXT: Record<Status, string> = {
  submitted: "Received: our team will review it soon.",
  under_review: "Under review by our team.",
  accepted: "Accepted: our team is talking with the practice.",
  rejected: "Not accepted.",
  duplicate: "Already referred: another referral of this practice came first.",
  won: "Won: the practice signed with us.",
  lost: "Closed: the practice decided not to sign.",
  expired: "Expired: no contract within a year of your referral.",
};

/**
 * Rule B5: every referral of the referrer who holds the token, and nothing of anyone else's.
 * An unknown token reads as not found, the same as a wrong one.
 */
export async function statusByToken(db: Db, token: string) {
  const [owner] = await db
    .select({ referrerId: partnerStatusTokens.referrerId, name: partnerReferrers.name })
    .from(partnerStatusTokens)
    .innerJoin(partnerReferrers, eq(partnerReferrers.id, partnerStatusTokens.referrerId))
    .where(eq(partnerStatusTokens.tokenHash, hashToken(token)));
  if (!owner) throw new DomainError("NOT_FOUND", "This status link isn't valid. Ask for a new link with the email address you referred from.");
  // Qualified by hand: without a join drizzle leaves column names bare inside subqueries.
  const earned = sql<number>`(select coalesce(sum(rw.amount_cents), 0) from b2b_rewards rw where rw.referral_id = "b2b_referrals"."id")`.mapWith(Number);
  const paid = sql<number>`(select coalesce(sum(rw.amount_cents), 0) from b2b_rewards rw
    join b2b_payout_item_rewards link on link.reward_id = rw.id
    join b2b_payout_items item on item.id = link.item_id
    where rw.referral_id = "b2b_referrals"."id" and item.status = 'paid')`.mapWith(Number);
  const rows = await db
    .select({
      id: b2bReferrals.id,
      practiceName: b2bReferrals.practiceName,
      city: b2bReferrals.city,
      status: b2bReferrals.status,
      rejectionReason: b2bReferrals.rejectionReason,
      submittedAt: b2bReferrals.createdAt,
      rewardPlan: b2bReferrals.rewardPlan,
      earnedCents: earned,
      paidCents: paid,
    })
    .from(b2bReferrals)
    .where(eq(b2bReferrals.referrerId, owner.referrerId))
    .orderBy(asc(b2bReferrals.createdAt), asc(b2bReferrals.id));
  return {
    referrerName: owner.name,
    referrals: rows.map(({ rejectionReason, ...row }) => ({
      ...row,
      statusText: STATUS_TEXT[row.status],
      reason: row.status === "rejected" ? rejectionReason : null,
    })),
  };
}

/**
 * Rule B5: a fresh link, sent only to the address the referrals were made from. The answer is
 * the same whether or not the address is known, so it cannot be used to find out who referred.
 */
export async function resendStatusLink(db: Db, email: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [referrer] = await tx.select().from(partnerReferrers).where(eq(partnerReferrers.email, email.toLowerCase()));
    if (!referrer) return;
    const token = await issueStatusToken(tx, referrer.id);
    await enqueueMessage(tx, {
      kind: "b2b_status_link",
      to: referrer.email,
      subject: "Your practice referral status link",
      body: `Hi ${referrer.name},\n\nHere is your private link to the status of your practice referrals: ${appUrl(statusPath(token))}\n\nIf you didn't ask for it, you can ignore this message.`,
      referrerId: referrer.id,
    });
  });
}
