import { and, asc, desc, eq, gt, isNull, or, sql, sum } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { creditLedger, programs, referrals, users } from "@/db/schema";
import { recordEvents } from "./events";

/**
 * Rule P7: the referee's first paid order qualifies the referral and releases both rewards,
 * exactly once. The conditional update is the gate: of any number of concurrent deliveries,
 * one sees `signed_up` and the rest find nothing to do. The partial unique index
 * `credit_ledger_one_reward_per_side` stands behind it in the database.
 */
export async function qualifyReferral(
  tx: Db,
  input: { clinicId: string; refereeId: string; orderId: string },
): Promise<{ referralId: string } | null> {
  const [program] = await tx.select({ enabled: programs.enabled }).from(programs).where(eq(programs.clinicId, input.clinicId));
  // Rule P1: while paused no rewards are created; the referral waits for a later order.
  if (!program?.enabled) return null;

  const [referral] = await tx
    .update(referrals)
    .set({ status: "qualified", qualifiedAt: new Date(), qualifyingOrderId: input.orderId })
    .where(
      and(
        eq(referrals.clinicId, input.clinicId),
        eq(referrals.refereeId, input.refereeId),
        eq(referrals.status, "signed_up"),
      ),
    )
    .returning();
  if (!referral) return null;

  // Rule P6: a referrer disabled since the sign-up earns nothing.
  const [referrer] = await tx.select({ disabledAt: users.disabledAt }).from(users).where(eq(users.id, referral.referrerId));
  if (referrer?.disabledAt) {
    await tx
      .update(referrals)
      .set({ status: "ineligible", ineligibleReason: "referrer_disabled" })
      .where(eq(referrals.id, referral.id));
    return null;
  }

  const grants = [
    { side: "referrer" as const, patientId: referral.referrerId, amountCents: referral.referrerRewardCents },
    { side: "referee" as const, patientId: referral.refereeId, amountCents: referral.refereeRewardCents },
  ].filter((g) => g.amountCents > 0);
  if (grants.length) {
    await tx
      .insert(creditLedger)
      .values(
        grants.map((g) => ({
          clinicId: referral.clinicId,
          patientId: g.patientId,
          kind: "referral_reward" as const,
          amountCents: g.amountCents,
          referralId: referral.id,
          side: g.side,
          orderId: input.orderId,
          memo: g.side === "referrer" ? "Referral reward: your friend's first visit" : "Welcome credit for joining through a friend",
        })),
      )
      .onConflictDoNothing();
  }
  await recordEvents(tx, [
    { clinicId: referral.clinicId, type: "qualification", patientId: referral.referrerId, referralId: referral.id, detail: { orderId: input.orderId } },
    ...grants.map((g) => ({
      clinicId: referral.clinicId,
      type: "reward" as const,
      patientId: g.patientId,
      referralId: referral.id,
      amountCents: g.amountCents,
      detail: { side: g.side },
    })),
  ]);
  return { referralId: referral.id };
}

const draws = alias(creditLedger, "draws");

/** Grants with value left, soonest-expiring first, then oldest (rule P9). */
export async function availableGrants(db: Db, patientId: string) {
  const remaining = sql<number>`${creditLedger.amountCents} + coalesce(sum(${draws.amountCents}), 0)`.mapWith(Number);
  return db
    .select({ grantId: creditLedger.id, remaining, expiresAt: creditLedger.expiresAt })
    .from(creditLedger)
    .leftJoin(draws, eq(draws.grantId, creditLedger.id))
    .where(
      and(
        eq(creditLedger.patientId, patientId),
        eq(creditLedger.kind, "referral_reward"),
        or(isNull(creditLedger.expiresAt), gt(creditLedger.expiresAt, sql`now()`)),
      ),
    )
    .groupBy(creditLedger.id)
    .having(sql`${creditLedger.amountCents} + coalesce(sum(${draws.amountCents}), 0) > 0`)
    .orderBy(sql`${creditLedger.expiresAt} asc nulls last`, asc(creditLedger.createdAt), asc(creditLedger.id));
}

/**
 * Rule P9: applies the holder's credit to an order, never more than `maxCents`. The caller
 * holds the patient's row lock, so two checkouts cannot spend the same credit; the ledger's
 * no-overdraw trigger refuses it even if one ever tried.
 */
export async function applyCredit(
  tx: Db,
  input: { clinicId: string; patientId: string; orderId: string; maxCents: number },
): Promise<number> {
  let left = input.maxCents;
  const entries: (typeof creditLedger.$inferInsert)[] = [];
  for (const grant of await availableGrants(tx, input.patientId)) {
    if (left <= 0) break;
    const take = Math.min(left, grant.remaining);
    entries.push({
      clinicId: input.clinicId,
      patientId: input.patientId,
      kind: "redemption",
      amountCents: -take,
      grantId: grant.grantId,
      orderId: input.orderId,
      memo: "Applied to your order",
    });
    left -= take;
  }
  const applied = input.maxCents - left;
  if (entries.length) {
    await tx.insert(creditLedger).values(entries);
    await recordEvents(tx, [
      { clinicId: input.clinicId, type: "redemption", patientId: input.patientId, amountCents: applied, detail: { orderId: input.orderId } },
    ]);
  }
  return applied;
}

/** A declined payment gives back exactly what its order drew. */
export async function releaseOrderCredit(tx: Db, input: { clinicId: string; patientId: string; orderId: string }) {
  const drawn = await tx
    .select()
    .from(creditLedger)
    .where(and(eq(creditLedger.orderId, input.orderId), eq(creditLedger.kind, "redemption")));
  if (!drawn.length) return;
  await tx.insert(creditLedger).values(
    drawn.map((d) => ({
      clinicId: input.clinicId,
      patientId: input.patientId,
      kind: "redemption_release" as const,
      amountCents: -d.amountCents,
      grantId: d.grantId,
      orderId: input.orderId,
      memo: "Returned: the payment did not go through",
    })),
  );
}

/** Rule N2: a balance is derived from the ledger, never stored. */
export async function creditBalance(db: Db, patientId: string): Promise<number> {
  const [row] = await db
    .select({ total: sum(creditLedger.amountCents).mapWith(Number) })
    .from(creditLedger)
    .where(eq(creditLedger.patientId, patientId));
  return row?.total ?? 0;
}

export async function ledgerHistory(db: Db, input: { clinicId: string; patientId: string; limit?: number }) {
  return db
    .select({
      id: creditLedger.id,
      kind: creditLedger.kind,
      amountCents: creditLedger.amountCents,
      memo: creditLedger.memo,
      side: creditLedger.side,
      expiresAt: creditLedger.expiresAt,
      createdAt: creditLedger.createdAt,
    })
    .from(creditLedger)
    .where(and(eq(creditLedger.clinicId, input.clinicId), eq(creditLedger.patientId, input.patientId)))
    .orderBy(desc(creditLedger.createdAt), desc(creditLedger.id))
    .limit(input.limit ?? 200);
}
