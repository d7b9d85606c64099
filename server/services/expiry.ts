import { and, asc, eq, gt, isNull, lte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { creditLedger, rewards } from "@/db/schema";
import { systemActor } from "@/server/events/actor";
import { emit } from "@/server/events/emit";
import { recordEvents } from "./events";
import { closeGrants } from "./ledger";

/**
 * Rule P12: expiry is a ledger entry closing what an expired grant still holds. The expired
 * grants with value left are walked in id order, one batch after another until none is
 * left, so a run never stops at a first batch nor reads one twice. Safe to run twice or on two
 * instances at once: each grant is taken under its row lock, skipping rows another run holds,
 * and a closed grant has nothing left to take.
 */
export async function expireRewards(db: Db, now = new Date(), { batchSize = 500 } = {}): Promise<number> {
  let expired = 0;
  let after: string | null = null;
  for (;;) {
    const due: { id: string; clinicId: string; patientId: string; unit: "credit" | "points" }[] = await db
      .select({ id: creditLedger.id, clinicId: creditLedger.clinicId, patientId: creditLedger.patientId, unit: creditLedger.unit })
      .from(creditLedger)
      .where(
        and(
          eq(creditLedger.kind, "grant"),
          lte(creditLedger.expiresAt, now),
          after ? gt(creditLedger.id, after) : undefined,
          sql`${creditLedger.amountCents} + (select coalesce(sum(d.amount_cents), 0) from credit_ledger d where d.grant_id = ${creditLedger.id}) > 0`,
        ),
      )
      .orderBy(asc(creditLedger.id))
      .limit(batchSize);
    for (const grant of due) {
      if (await expireGrant(db, grant)) expired += 1;
    }
    const last = due.at(-1);
    if (!last || due.length < batchSize) return expired;
    after = last.id;
  }
}

async function expireGrant(db: Db, grant: { id: string; clinicId: string; patientId: string; unit: "credit" | "points" }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const locked = await tx.execute(sql`select id from ${creditLedger} where id = ${grant.id} for update skip locked`);
    const rows = Array.isArray(locked) ? locked : (locked as { rows: unknown[] }).rows;
    if (!rows.length) return false;
    const amount = await closeGrants(tx, { ...grant, grantIds: [grant.id], kind: "expiry", memo: "Expired", includeExpired: true });
    if (amount > 0) {
      await recordEvents(tx, [{ clinicId: grant.clinicId, type: "expiry", patientId: grant.patientId, amountCents: grant.unit === "credit" ? amount : null, detail: { unit: grant.unit, amount } }]);
    }
    return amount > 0;
  });
}

/**
 * Rule P12: holders are reminded before expiry. Marking the reward and writing the message
 * share a transaction, so each reward is reminded once however many runs overlap.
 */
export async function sendExpiryReminders(db: Db, now = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .update(rewards)
      .set({ remindedAt: now })
      .where(and(eq(rewards.status, "released"), lte(rewards.remindAt, now), isNull(rewards.remindedAt)))
      .returning({ id: rewards.id, clinicId: rewards.clinicId, patientId: rewards.patientId, expiresAt: rewards.expiresAt, kind: rewards.kind, amount: rewards.amount });
    for (const reward of due) {
      if (!reward.expiresAt) continue;
      const [grant] = await tx.select({ id: creditLedger.id }).from(creditLedger).where(and(eq(creditLedger.rewardId, reward.id), eq(creditLedger.kind, "grant")));
      // Rule A2: the reminder itself is a message the event sets off (server/messaging/compose.ts).
      await emit(tx, systemActor("expiry.remind", reward.clinicId), {
        type: "reward.expiring",
        clinicId: reward.clinicId,
        data: { grantId: grant?.id ?? reward.id, patientId: reward.patientId, unit: reward.kind === "points" ? "points" : "credit", amount: reward.amount, expiresAt: reward.expiresAt.toISOString() },
      });
    }
    return due.length;
  });
}

/** The patient program's share of `npm run jobs:daily` (rule A6): safe to repeat. */
export async function runPatientProgramDaily(db: Db, now = new Date(), options: { batchSize?: number } = {}) {
  const expired = await expireRewards(db, now, options);
  const reminded = await sendExpiryReminders(db, now);
  return { expired, reminded };
}
