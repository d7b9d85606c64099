import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { b2bReferrals, partnerReferrers } from "@/db/schema";
import { appUrl } from "@/server/kernel/app-url";
import { type ServiceContext, withTransaction } from "@/server/kernel/context";
import { enqueueMessage } from "@/server/messaging/outbox";
import { LINK_PLACEHOLDER } from "@/server/messaging/store";
import { statusPath } from "./tokens";
import { pendingConfirmation, tokenOwner } from "./proof";
import { issueStatusToken } from "./tokens";

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

const profileName = async (db: Db, referrerId: string) =>
  (await db.select({ name: partnerReferrers.name }).from(partnerReferrers).where(eq(partnerReferrers.id, referrerId)))[0]?.name ?? "";

/**
 * Rule B5: an emailed (`referrer`) token shows every referral of its referrer and nothing of
 * anyone else's; a confirmation (`submission`) token shows its own submission only, under the
 * name typed on it. An unknown token reads as not found, the same as a wrong one. A public door:
 * the token is the only key, so the database alone.
 */
export async function statusByToken(ctx: Pick<ServiceContext, "db">, input: { token: string }) {
  const { db } = ctx;
  const owner = await tokenOwner(ctx, input);
  const single = owner.scope === "submission" && owner.referralId ? owner.referralId : null;
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
      referrerName: b2bReferrals.referrerName,
      earnedCents: earned,
      paidCents: paid,
    })
    .from(b2bReferrals)
    .where(single ? eq(b2bReferrals.id, single) : eq(b2bReferrals.referrerId, owner.referrerId))
    .orderBy(asc(b2bReferrals.createdAt), asc(b2bReferrals.id));
  // Until the address is proven, the emailed link's page asks its reader to confirm it.
  const confirmation = await pendingConfirmation(ctx, owner);
  return {
    scope: single ? ("submission" as const) : ("referrer" as const),
    // A confirmation-page link greets the sender by the name they typed; an unproven profile's name may be anyone's.
    referrerName: single ? (rows[0]?.referrerName ?? "") : (confirmation?.name ?? (await profileName(db, owner.referrerId))),
    confirmation,
    referrals: rows.map(({ rejectionReason, referrerName: _typed, ...row }) => ({
      ...row,
      statusText: STATUS_TEXT[row.status],
      reason: row.status === "rejected" ? rejectionReason : null,
    })),
  };
}

/**
 * Rule B5: a fresh link, sent only to the address the referrals were made from. The answer is
 * the same whether or not the address is known, so it cannot be used to find out who referred.
 * A public door (nobody signs in to ask), so the database alone.
 */
export async function resendStatusLink(ctx: Pick<ServiceContext, "db">, input: { email: string }): Promise<void> {
  await withTransaction(ctx, async (txCtx) => {
    const tx = txCtx.db;
    const [referrer] = await tx.select().from(partnerReferrers).where(eq(partnerReferrers.email, input.email.toLowerCase()));
    if (!referrer) return;
    const token = await issueStatusToken(txCtx, { referrerId: referrer.id, scope: "referrer", referralId: null });
    await enqueueMessage(tx, {
      kind: "b2b_status_link",
      to: referrer.email,
      subject: "Your practice referral status link",
      body: `Hello,\n\nHere is your private link to the status of your practice referrals: ${LINK_PLACEHOLDER}\n\nIf you didn't ask for it, you can ignore this message.`,
      privateLink: appUrl(statusPath(token)),
      referrerId: referrer.id,
    });
  });
}
