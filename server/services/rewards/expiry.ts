import { and, asc, eq, gt, isNull, lte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { creditLedger, rewards } from "@/db/schema";
import { type Actor, systemActor } from "@/server/events/actor";
import { emit } from "@/server/events/emit";
import { closeGrants } from "./ledger";

/**
 * Rule P12: expiry is a ledger entry closing what an expired grant still holds. The expired
 * grants with value left are walked in id order, one batch after another until none is
 * left, so a run never stops at a first batch nor reads one twice. Safe to run twice or on two
 * instances at once: each grant is taken under its row lock, skipping rows another run holds,
 * and a closed grant has nothing left to take.
 */
/** The daily run (rule A6) acts as itself in the audit and event logs. */
export const DAILY_JOB_ACTOR = systemActor("runs.platform.daily");

export async function expireRewards(
  db: Db,
  now = new Date(),
  { batchSize = 500, actor = DAILY_JOB_ACTOR, clinicId }: { batchSize?: number; actor?: Actor; clinicId?: string } = {},
): Promise<number> {
  let expired = 0;
  let after: string | null = null;
  for (;;) {
    const due: { id: string; clinicId: string; patientId: string; unit: "credit" | "points" }[] = await db
      .select({ id: creditLedger.id, clinicId: creditLedger.clinicId, patientId: creditLedger.patientId, unit: creditLedger.unit })
      .from(creditLedger)
      .where(
        and(
          eq(creditLedger.kind, "grant"),
          clinicId ? eq(creditLedger.clinicId, clinicId) : undefined,
          lte(creditLedger.expiresAt, now),
          after ? gt(creditLedger.id, after) : undefined,
          sql`${creditLedger.amountCents} + (select coalesce(sum(d.amount_cents), 0) from credit_ledger d where d.grant_id = ${creditLedger.id}) > 0`,
        ),
      )
      .orderBy(asc(creditLedger.id))
      .limit(batchSize);
    for (const grant of due) {
      if (await expireGrant(db, actor, grant)) expired += 1;
    }
    const last = due.at(-1);
    if (!last || due.length < batchSize) return expired;
    after = last.id;
  }
}

async function expireGrant(db: Db, actor: Actor, grant: { id: string; clinicId: string; patientId: string; unit: "credit" | "points" }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const locked = await tx.execute(sql`select id from ${creditLedger} where id = ${grant.id} for update skip locked`);
    const rows = Array.isArray(locked) ? locked : (locked as { rows: unknown[] }).rows;
    if (!rows.length) return false;
    const amount = await closeGrants(tx, { ...grant, grantIds: [grant.id], kind: "expiry", memo: "Expired", includeExpired: true });
    if (amount > 0) {
      await emit(tx, actor, { type: "reward.expired", clinicId: grant.clinicId, data: { grantId: grant.id, patientId: grant.patientId, unit: grant.unit, amount } });
    }
    return amount > 0;
  });
}

/**
 * Rule P12: holders are reminded before expiry. Marking the reward and writing the message
 * share a transaction, so each reward is reminded once however many runs overlap.
 */
export async function sendExpiryReminders(db: Db, now = new Date(), { clinicId, actor = DAILY_JOB_ACTOR }: { clinicId?: string; actor?: Actor } = {}): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .update(rewards)
      .set({ remindedAt: now })
      .where(and(eq(rewards.status, "released"), clinicId ? eq(rewards.clinicId, clinicId) : undefined, lte(rewards.remindAt, now), isNull(rewards.remindedAt)))
      .returning({ id: rewards.id, clinicId: rewards.clinicId, patientId: rewards.patientId, expiresAt: rewards.expiresAt, kind: rewards.kind, amount: rewards.amount });
    for (const reward of due) {
      if (!reward.expiresAt) continue;
      // Rule A2: the reminder itself is a message the event sets off (server/messaging/compose.ts).
      const data = { rewardId: reward.id, patientId: reward.patientId, kind: reward.kind, amount: reward.amount, expiresAt: reward.expiresAt.toISOString() };
      await emit(tx, actor, { type: "reward.expiring", clinicId: reward.clinicId, data });
    }
    return due.length;
  });
}

/** The patient program's share of a daily run (rule A6), for one clinic or all: safe to repeat. */
export async function runPatientProgramDaily(db: Db, now = new Date(), options: { batchSize?: number; actor?: Actor; clinicId?: string } = {}) {
  const expired = await expireRewards(db, now, options);
  const reminded = await sendExpiryReminders(db, now, { clinicId: options.clinicId, actor: options.actor });
  return { expired, reminded };
}
