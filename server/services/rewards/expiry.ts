import { and, asc, eq, gt, isNull, lte, sql } from "drizzle-orm";
import { creditLedger, rewards } from "@/db/schema";
import { systemActor } from "@/server/events/actor";
import { emit } from "@/server/events/emit";
import { withTransaction, type PlatformContext, type ServiceContext } from "@/server/kernel/context";
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

/** For one clinic (`ctx.clinicId`) or, with none, for all; `ctx.actor` is the run, as the logs name it. */
export async function expireRewards(ctx: PlatformContext, { now = new Date(), batchSize = 500 }: { now?: Date; batchSize?: number } = {}): Promise<number> {
  const { db, clinicId } = ctx;
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
      if (await expireGrant({ ...ctx, clinicId: grant.clinicId }, grant)) expired += 1;
    }
    const last = due.at(-1);
    if (!last || due.length < batchSize) return expired;
    after = last.id;
  }
}

async function expireGrant(ctx: ServiceContext, grant: { id: string; clinicId: string; patientId: string; unit: "credit" | "points" }): Promise<boolean> {
  return withTransaction(ctx, async (inTx) => {
    const { db: tx, actor } = inTx;
    const locked = await tx.execute(sql`select id from ${creditLedger} where id = ${grant.id} for update skip locked`);
    const rows = Array.isArray(locked) ? locked : (locked as { rows: unknown[] }).rows;
    if (!rows.length) return false;
    const amount = await closeGrants(inTx, { patientId: grant.patientId, unit: grant.unit, grantIds: [grant.id], kind: "expiry", memo: "Expired", includeExpired: true });
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
export async function sendExpiryReminders(ctx: PlatformContext, { now = new Date() }: { now?: Date } = {}): Promise<number> {
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
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
export async function runPatientProgramDaily(ctx: PlatformContext, { now = new Date(), batchSize }: { now?: Date; batchSize?: number } = {}) {
  const expired = await expireRewards(ctx, { now, batchSize });
  const reminded = await sendExpiryReminders(ctx, { now });
  return { expired, reminded };
}
