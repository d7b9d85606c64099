import { and, eq, inArray, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { staffActor, systemActor } from "@/server/events/actor";
import { emit } from "@/server/events/emit";
import { b2bCustomers, b2bReferrals, partnerReferrers, practiceIdentities as identitiesTable, users, type ScreeningFlag } from "@/db/schema";
import type { SubmitReferralInput } from "@/server/schemas/b2b";
import { type ServiceContext, withTransaction } from "@/server/kernel/context";
import { DomainError } from "@/server/kernel/errors";
import { emailDomain, practiceIdentities, referrerPhone, type PracticeIdentity } from "./identity";
import { appUrl } from "@/server/kernel/app-url";
import { enqueueMessage } from "@/server/messaging/outbox";
import { LINK_PLACEHOLDER } from "@/server/messaging/store";
import { statusPath } from "./tokens";
import { getB2bProgram } from "./program";
import { screenPractice } from "./screening";
import { issueStatusToken, newToken } from "./tokens";

export type SubmitContext = { ipHash: string | null; sessionUserId: string | null };

/** Who sends the public form when no clinic member is signed in: nobody with an account. */
export const PUBLIC_FORM_ACTOR = systemActor("partner.public_form");
export type SubmitResult = { token: string; duplicate: boolean };

/**
 * The signed-in clinic member, if any: the customer their clinic is, and whether their account
 * email is one they proved (staff and admin accounts are made through an emailed invitation).
 */
async function memberOfSession(db: Db, sessionUserId: string | null) {
  if (!sessionUserId) return null;
  const [row] = await db
    .select({ email: users.email, role: users.role, customerId: b2bCustomers.id, customerStatus: b2bCustomers.status })
    .from(users)
    .leftJoin(b2bCustomers, eq(b2bCustomers.clinicId, users.clinicId))
    .where(eq(users.id, sessionUserId));
  if (!row || (row.role !== "staff" && row.role !== "admin")) return null;
  return { id: sessionUserId, provenEmail: row.email.toLowerCase(), customer: row.customerId ? { id: row.customerId, status: row.customerStatus } : null };
}

/**
 * Rule B1 and B2: records a submission, claims the practice's identities, screens it and
 * queues the confirmation with the status link (B5), all in one transaction (N4). The answer's
 * token shows this submission only; what it says about the referrer stays on the submission
 * until the address is proven (item 8 of issue 7). A public door: who acts is found here from the
 * session's user (a clinic member) or is the public form itself, so the context is the database alone.
 */
export async function submitReferral(ctx: Pick<ServiceContext, "db">, input: SubmitReferralInput & SubmitContext): Promise<SubmitResult> {
  // A filled honeypot is a bot: it is told "thanks" and nothing is kept.
  if (input.nickname.trim() !== "") return { token: newToken(), duplicate: false };

  const { db } = ctx;
  const program = await getB2bProgram(ctx);
  const member = await memberOfSession(db, input.sessionUserId);
  const sessionCustomer = member?.customer ?? null;
  const referrerEmail = input.referrerEmail.toLowerCase();
  // Only a signed-in member typing their own account email proves the address at once.
  const provenBySession = member?.provenEmail === referrerEmail;
  if (program.audience === "customers_only" && sessionCustomer?.status !== "active") {
    const domain = emailDomain(referrerEmail);
    const [byDomain] = domain
      ? await db.select({ id: b2bCustomers.id }).from(b2bCustomers).where(and(eq(b2bCustomers.domain, domain), eq(b2bCustomers.status, "active")))
      : [];
    if (!byDomain) {
      throw new DomainError("refused", "The partner program is open to current customers only. Sign in with your practice account, or use your practice email address.", "referrerEmail");
    }
  }

  const identities = practiceIdentities({ website: input.website || null, email: input.practiceEmail, phone: input.practicePhone, name: input.practiceName, postalCode: input.postalCode, country: input.country });

  return withTransaction(ctx, async (txCtx) => {
    const tx = txCtx.db;
    // A new address gets a profile nobody owns yet; only a proven submission changes a profile.
    const details = { name: input.referrerName, phoneE164: referrerPhone(input.referrerPhone), organization: input.referrerOrganization };
    await tx.insert(partnerReferrers).values({ email: referrerEmail, ...details }).onConflictDoNothing({ target: partnerReferrers.email });
    const [referrer] = await tx.select({ id: partnerReferrers.id }).from(partnerReferrers).where(eq(partnerReferrers.email, referrerEmail));
    if (!referrer) throw new Error("referrer row missing after its insert");
    if (provenBySession) {
      await tx
        .update(partnerReferrers)
        .set({ ...details, ...(sessionCustomer ? { customerId: sessionCustomer.id } : {}), emailVerifiedAt: sql`coalesce(${partnerReferrers.emailVerifiedAt}, app_now())` })
        .where(eq(partnerReferrers.id, referrer.id));
    }

    const [referral] = await tx
      .insert(b2bReferrals)
      .values({
        referrerId: referrer.id,
        referrerName: input.referrerName,
        referrerEmail,
        referrerPhone: input.referrerPhone,
        referrerOrganization: input.referrerOrganization,
        relationship: input.relationship,
        practiceName: input.practiceName,
        contactName: input.contactName,
        practiceEmail: input.practiceEmail.toLowerCase(),
        practicePhone: input.practicePhone,
        website: input.website || null,
        addressLine: input.addressLine,
        city: input.city,
        region: input.region.toUpperCase(),
        postalCode: input.postalCode,
        country: input.country,
        ageConfirmed: input.ageConfirmed,
        noConflictDeclared: input.noConflictDeclared,
        termsVersion: program.termsVersion,
        rewardPlan: program.rewardPlan,
        flatCreditCents: program.flatCreditCents,
        shareBasisPoints: program.shareBasisPoints,
        shareMonths: program.shareMonths,
        ipHash: input.ipHash,
        idempotencyKey: input.idempotencyKey,
      })
      .onConflictDoNothing({ target: b2bReferrals.idempotencyKey })
      .returning();
    if (!referral) {
      // The same form sent twice: the first submission stands; the sender gets a link to it alone.
      const [first] = await tx.select().from(b2bReferrals).where(eq(b2bReferrals.idempotencyKey, input.idempotencyKey));
      if (!first || first.referrerEmail !== referrerEmail) throw new DomainError("conflict", "This form was already sent. Reload the page to refer another practice.");
      return { token: await issueStatusToken(txCtx, { referrerId: first.referrerId, scope: "submission", referralId: first.id }), duplicate: first.status === "duplicate" };
    }

    const firstOwner = await claimIdentities(tx, referral.id, identities);
    const flags: ScreeningFlag[] = await screenPractice(txCtx, { practice: { ...input, website: input.website || null, referrerEmail }, identities });
    if (firstOwner) flags.unshift({ kind: "already_referred", evidence: `Referred earlier (referral ${firstOwner.referralId.slice(0, 8)}), matched by ${firstOwner.kind.replace("_", " and ")}.` });
    await tx
      .update(b2bReferrals)
      .set(firstOwner ? { flags, status: "duplicate", duplicateOfId: firstOwner.referralId } : { flags })
      .where(eq(b2bReferrals.id, referral.id));
    const actor = member ? staffActor(member.id, null) : PUBLIC_FORM_ACTOR;
    const status = firstOwner ? ("duplicate" as const) : referral.status;
    await emit(tx, actor, { type: "b2b.submission.created", clinicId: null, data: { referralId: referral.id, referrerId: referrer.id, status, duplicateOf: firstOwner?.referralId ?? null } });

    // Rule B5: the link to everything the address made goes to that address only; the sender
    // gets a link to this submission alone, whoever's address they typed.
    const emailed = await issueStatusToken(txCtx, { referrerId: referrer.id, scope: "referrer", referralId: referral.id });
    await enqueueMessage(tx, {
      kind: "b2b_confirmation",
      to: referrerEmail,
      // Names the public typed stay out of subject lines, where mail clients show them unescaped (issue 19).
      subject: "We received your practice referral",
      body: [
        `Hi ${input.referrerName},`,
        `Thank you for referring ${input.practiceName}. Our team will review it and keep you posted.`,
        `See the status of all your referrals at any time: ${LINK_PLACEHOLDER}`,
        "Keep this link private: anyone with it can see your referrals. If you didn't send this referral, you can ignore this message.",
      ].join("\n\n"),
      privateLink: appUrl(statusPath(emailed)),
      referralId: referral.id,
      referrerId: referrer.id,
    });
    const token = await issueStatusToken(txCtx, { referrerId: referrer.id, scope: "submission", referralId: referral.id });
    return { token, duplicate: !!firstOwner };
  });
}

/**
 * Rule B2, "first submission wins, even at the same instant": each identity row is claimed
 * with ON CONFLICT DO NOTHING, which waits for a concurrent claimant to commit. A submission
 * that loses any claim is a duplicate of the owner of its first lost identity and gives back
 * the identities it did claim, so only primaries own identities.
 */
async function claimIdentities(tx: Db, referralId: string, identities: PracticeIdentity[]) {
  const claimed = await tx
    .insert(identitiesTable)
    .values(identities.map((i) => ({ ...i, referralId })))
    .onConflictDoNothing()
    .returning({ kind: identitiesTable.kind, value: identitiesTable.value });
  if (claimed.length === identities.length) return null;
  const key = (i: PracticeIdentity) => `${i.kind}:${i.value}`;
  const mine = new Set(claimed.map(key));
  const lost = identities.filter((i) => !mine.has(key(i)));
  const owners = await tx
    .select({ kind: identitiesTable.kind, value: identitiesTable.value, referralId: identitiesTable.referralId })
    .from(identitiesTable)
    .where(or(...lost.map((i) => and(eq(identitiesTable.kind, i.kind), eq(identitiesTable.value, i.value)))));
  const first = lost.map((i) => owners.find((o) => key(o) === key(i))).find((o) => !!o);
  if (!first) throw new Error("an identity conflicted but has no owner");
  if (claimed.length) {
    await tx.delete(identitiesTable).where(and(eq(identitiesTable.referralId, referralId), inArray(identitiesTable.value, claimed.map((c) => c.value))));
  }
  return first;
}
