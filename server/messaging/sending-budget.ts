import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { clinics } from "@/db/schema";
import type { Actor } from "@/server/events/actor";
import type { SetSendingBudgetInput } from "@/server/schemas/sending-budget";
import { auditBy } from "@/server/kernel/audit";
import { DomainError } from "@/server/kernel/errors";

/**
 * Issue 19: a platform admin sets a clinic's daily sending budget (counted in deliver.ts for a
 * self-signed-up clinic's first 30 days), audited in the clinic's log in the same transaction.
 */
export async function setSendingBudget(db: Db, actor: Actor, input: SetSendingBudgetInput): Promise<{ clinicId: string; perDay: number }> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select({ perDay: clinics.sendingBudgetPerDay }).from(clinics).where(eq(clinics.id, input.clinicId)).for("no key update");
    if (!before) throw new DomainError("not_found", "That clinic was not found.");
    await tx.update(clinics).set({ sendingBudgetPerDay: input.perDay }).where(eq(clinics.id, input.clinicId));
    await auditBy(tx, actor, {
      clinicId: input.clinicId,
      action: "clinic.sending_budget",
      targetType: "clinic",
      targetId: input.clinicId,
      before: { perDay: before.perDay },
      after: { perDay: input.perDay },
    });
    return { clinicId: input.clinicId, perDay: input.perDay };
  });
}
