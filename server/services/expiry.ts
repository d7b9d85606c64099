import { and, eq, isNull, lte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { creditLedger, rewards } from "@/db/schema";
import { recordEvents } from "./events";
import { closeGrants } from "./ledger";

/**
 * Rule P12: expiry is a ledger entry closing what an expired grant still holds. Safe to run
 * twice or on two instances at once: each grant is taken under its row lock, skipping rows
 * another run holds, and a closed grant has nothing left to take.
 */
export async function expireRewards(db: Db, now = new Date()): Promise<number> {
  const due = await db
    .select({ id: creditLedger.id, clinicId: creditLedger.clinicId, patientId: creditLedger.patientId, unit: creditLedger.unit })
    .from(creditLedger)
    .where(and(eq(creditLedger.kind, "grant"), lte(creditLedger.expiresAt, now)))
    .limit(5000);
  let expired = 0;
  for (const grant of due) {
    const taken = await db.transaction(async (tx) => {
      const locked = await tx.execute(sql`select id from ${creditLedger} where id = ${grant.id} for update skip locked`);
      const rows = Array.isArray(locked) ? locked : (locked as { rows: unknown[] }).rows;
      if (!rows.length) return 0;
      const amount = await closeGrants(tx, { ...grant, grantIds: [grant.id], kind: "expiry", memo: "Expired", includeExpired: true });
      if (amount > 0) {
        await recordEvents(tx, [{ clinicId: grant.clinicId, type: "expiry", patientId: grant.patientId, amountCents: grant.unit === "credit" ? amount : null, detail: { unit: grant.unit, amount } }]);
      }
      return amount;
    });
    if (taken > 0) expired += 1;
  }
  return expired;
}

/** Rule P12: holders are reminded before expiry; each reward is marked reminded once. */
export async function dueExpiryReminders(db: Db, now = new Date()) {
  return db
    .update(rewards)
    .set({ remindedAt: now })
    .where(and(eq(rewards.status, "released"), lte(rewards.remindAt, now), isNull(rewards.remindedAt)))
    .returning({ id: rewards.id, clinicId: rewards.clinicId, patientId: rewards.patientId, expiresAt: rewards.expiresAt, kind: rewards.kind, amount: rewards.amount });
}
