import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type Actor, staffActor } from "@/server/events/actor";
import type { PlatformContext } from "@/server/kernel/context";
import { b2bReferrals, outboxMessages, partnerStatusTokens } from "@/db/schema";
import type { SubmitReferralInput } from "@/server/schemas/b2b";
import { acceptReferral, markWon } from "@/server/services/partners/lifecycle";
import { deliverableBody } from "@/server/messaging/store";
import { confirmAddress } from "@/server/services/partners/proof";
import { submitReferral } from "@/server/services/partners/submissions";

let counter = 0;

/** The partner program's service context: the platform acts, for no clinic. */
export const platformCtx = (db: Db, actor: Actor): PlatformContext => ({ db, actor, clinicId: null });

/** A valid B1 submission of a fresh practice; override what a test is about. */
export function practiceReferralInput(overrides: Partial<SubmitReferralInput> = {}): SubmitReferralInput {
  counter += 1;
  const n = `${Date.now() % 100000}${counter}`;
  return {
    referrerName: "Dana Whitfield",
    referrerEmail: "dana@brightsmiles.example",
    referrerPhone: "(415) 555-0134",
    referrerOrganization: "Bright Smiles Dental",
    relationship: "practice_staff",
    practiceName: `Lakeside Family Dental ${n}`,
    contactName: "Dr. Priya Shah",
    practiceEmail: `office@lakeside-${n}.example`,
    practicePhone: `(212) 555-${String(1000 + (counter % 9000)).padStart(4, "0")}`,
    website: `https://www.lakeside-${n}.example/`,
    addressLine: "12 Harbor Road",
    city: "Springfield",
    region: "IL",
    postalCode: "62704",
    country: "US",
    ageConfirmed: true,
    noConflictDeclared: true,
    termsAccepted: true,
    nickname: "",
    idempotencyKey: randomUUID(),
    ...overrides,
  };
}

/** The status token in the confirmation email of a submission, as its recipient reads it. */
export async function emailedStatusToken(db: Db, referralId: string): Promise<string> {
  const [message] = await db.select().from(outboxMessages).where(and(eq(outboxMessages.referralId, referralId), eq(outboxMessages.kind, "b2b_confirmation")));
  const token = message && /\/partners\/status\/([\w-]+)/.exec(deliverableBody(message))?.[1];
  if (!token) throw new Error("no confirmation email with a status link");
  return token;
}

/**
 * Submits a practice and returns its row, the confirmation's (one-submission) token and the
 * emailed (all-referrals) token. By default the referrer confirms the address on the emailed
 * link's page, as a real referrer would; `proveEmail: false` leaves it unproven.
 */
export async function submitPractice(db: Db, overrides: Partial<SubmitReferralInput> = {}, options: { proveEmail?: boolean } = {}) {
  const input = practiceReferralInput(overrides);
  const result = await submitReferral({ db }, { ...input, ipHash: null, sessionUserId: null });
  const [row] = await db.select().from(b2bReferrals).where(eq(b2bReferrals.idempotencyKey, input.idempotencyKey));
  if (!row) throw new Error("submission not stored");
  const emailedToken = await emailedStatusToken(db, row.id);
  if (options.proveEmail ?? true) await confirmAddress({ db }, { token: emailedToken });
  return { ...result, emailedToken, referral: row, input };
}

/** A referral taken through accepted to won with the given contract. */
export async function wonPractice(db: Db, actorId: string, contract: { contractStart: string; launchDate: string; monthlyFeeCents?: number }, overrides: Partial<SubmitReferralInput> = {}, options: { proveEmail?: boolean } = {}) {
  const submitted = await submitPractice(db, overrides, options);
  const ctx = platformCtx(db, staffActor(actorId, null));
  await acceptReferral(ctx, { referralId: submitted.referral.id });
  const referral = await markWon(ctx, { referralId: submitted.referral.id, plan: "Standard", monthlyFeeCents: contract.monthlyFeeCents ?? 30_000, ...contract });
  return { ...submitted, referral };
}

export async function tokenCount(db: Db, referrerId: string) {
  return (await db.select().from(partnerStatusTokens).where(eq(partnerStatusTokens.referrerId, referrerId))).length;
}
