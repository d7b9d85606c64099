import { clockNow } from "@/server/kernel/clock";
import { and, eq, isNull } from "drizzle-orm";
import { b2bReferrals, partnerReferrers, partnerStatusTokens } from "@/db/schema";
import { type ServiceContext, withTransaction } from "@/server/kernel/context";
import { DomainError } from "@/server/kernel/errors";
import { referrerPhone } from "./identity";
import { hashToken } from "./tokens";

type Token = { referrerId: string; scope: "referrer" | "submission"; referralId: string | null };

/**
 * The status pages are public doors: the token is the only key, and nobody signs in, so
 * these take the database alone.
 */
type PublicContext = Pick<ServiceContext, "db">;

export async function tokenOwner(ctx: PublicContext, input: { token: string }): Promise<Token> {
  const [owner] = await ctx.db
    .select({ referrerId: partnerStatusTokens.referrerId, scope: partnerStatusTokens.scope, referralId: partnerStatusTokens.referralId })
    .from(partnerStatusTokens)
    .where(eq(partnerStatusTokens.tokenHash, hashToken(input.token)));
  if (!owner) throw new DomainError("not_found", "This status link isn't valid. Ask for a new link with the email address you referred from.");
  return owner;
}

/**
 * The profile details a confirmation would make the referrer's: those typed on the submission
 * the emailed link was sent for, or the profile's own for a re-sent link. Null once proven, and
 * always for a confirmation-page link, which proves nothing.
 */
export async function pendingConfirmation(ctx: PublicContext, owner: Token) {
  if (owner.scope !== "referrer") return null;
  const [profile] = await ctx.db.select().from(partnerReferrers).where(eq(partnerReferrers.id, owner.referrerId));
  if (!profile || profile.emailVerifiedAt) return null;
  const [submission] = owner.referralId
    ? await ctx.db.select().from(b2bReferrals).where(and(eq(b2bReferrals.id, owner.referralId), eq(b2bReferrals.referrerId, owner.referrerId)))
    : [];
  return submission
    ? { name: submission.referrerName, organization: submission.referrerOrganization, phone: referrerPhone(submission.referrerPhone) }
    : { name: profile.name, organization: profile.organization, phone: profile.phoneE164 };
}

/**
 * Item 8 of issue 7: pressing "confirm" on the page of a link that was only ever emailed proves
 * the address; from then on the profile owns its payouts, under the details shown when it was
 * pressed. A press, not the opening: mail scanners open links on their own. Repeating it changes nothing.
 */
export async function confirmAddress(ctx: PublicContext, input: { token: string }): Promise<{ confirmed: true }> {
  const owner = await tokenOwner(ctx, input);
  if (owner.scope !== "referrer") throw new DomainError("refused", "Open the link in the email we sent you to confirm your address.");
  await withTransaction(ctx, async (txCtx) => {
    const tx = txCtx.db;
    const details = await pendingConfirmation(txCtx, owner);
    if (!details) return;
    await tx
      .update(partnerReferrers)
      .set({ name: details.name, organization: details.organization, phoneE164: details.phone, emailVerifiedAt: clockNow })
      .where(and(eq(partnerReferrers.id, owner.referrerId), isNull(partnerReferrers.emailVerifiedAt)));
  });
  return { confirmed: true };
}
