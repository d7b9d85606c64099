import { eq, sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { clinics } from "@/db/schema";
import type { Actor } from "@/server/events/actor";
import { auditBy } from "@/server/kernel/audit";
import { DomainError } from "@/server/kernel/errors";
import { restartStats } from "@/server/services/insights/rollup";

export async function clinicTimeZone(db: Db, clinicId: string): Promise<{ timeZone: string }> {
  const [clinic] = await db.select({ timeZone: clinics.timeZone }).from(clinics).where(eq(clinics.id, clinicId));
  if (!clinic) throw new DomainError("not_found", "That clinic no longer exists.");
  return clinic;
}

/**
 * Rule A6: a clinic admin sets the clinic's zone (a name the schema has made canonical). The
 * database must know it too, since it turns times into local days; the dashboard's stored days
 * are counted again in the new zone. Audited in the same transaction (rule C4).
 */
export async function setClinicTimeZone(db: Db, input: { clinicId: string; actor: Actor; timeZone: string }): Promise<{ timeZone: string }> {
  const known = await queryRows<{ ok: boolean }>(db, sql`select exists (select 1 from pg_timezone_names where name = ${input.timeZone}) as ok`);
  if (!known[0]?.ok) throw new DomainError("invalid", `"${input.timeZone}" is not a time zone the database knows. Choose another name for the same place.`, "timeZone");
  return db.transaction(async (tx) => {
    const [before] = await tx.select({ timeZone: clinics.timeZone }).from(clinics).where(eq(clinics.id, input.clinicId)).for("update");
    if (!before) throw new DomainError("not_found", "That clinic no longer exists.");
    if (before.timeZone === input.timeZone) return before;
    await tx.update(clinics).set({ timeZone: input.timeZone }).where(eq(clinics.id, input.clinicId));
    await restartStats(tx, input.clinicId);
    await auditBy(tx, input.actor, {
      clinicId: input.clinicId,
      action: "clinic.time_zone",
      targetType: "clinic",
      targetId: input.clinicId,
      before: { timeZone: before.timeZone },
      after: { timeZone: input.timeZone },
    });
    return { timeZone: input.timeZone };
  });
}
