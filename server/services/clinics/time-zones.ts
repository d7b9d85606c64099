import { eq, sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { clinics } from "@/db/schema";
import { auditBy } from "@/server/kernel/audit";
import { withTransaction, type ServiceContext } from "@/server/kernel/context";
import { DomainError } from "@/server/kernel/errors";
import { restartStats } from "@/server/services/insights/rollup";

export async function clinicTimeZone(ctx: ServiceContext): Promise<{ timeZone: string }> {
  const [clinic] = await ctx.db.select({ timeZone: clinics.timeZone }).from(clinics).where(eq(clinics.id, ctx.clinicId));
  if (!clinic) throw new DomainError("not_found", "That clinic no longer exists.");
  return clinic;
}

/**
 * Rule A6: a clinic admin sets the clinic's zone (a name the schema has made canonical). The
 * database must know it too, since it turns times into local days; the dashboard's stored days
 * are counted again in the new zone. Audited in the same transaction (rule C4).
 */
export async function setClinicTimeZone(ctx: ServiceContext, input: { timeZone: string }): Promise<{ timeZone: string }> {
  const known = await queryRows<{ ok: boolean }>(ctx.db, sql`select exists (select 1 from pg_timezone_names where name = ${input.timeZone}) as ok`);
  if (!known[0]?.ok) throw new DomainError("invalid", `"${input.timeZone}" is not a time zone the database knows. Choose another name for the same place.`, "timeZone");
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const [before] = await tx.select({ timeZone: clinics.timeZone }).from(clinics).where(eq(clinics.id, clinicId)).for("update");
    if (!before) throw new DomainError("not_found", "That clinic no longer exists.");
    if (before.timeZone === input.timeZone) return before;
    await tx.update(clinics).set({ timeZone: input.timeZone }).where(eq(clinics.id, clinicId));
    await restartStats({ db: tx, clinicId });
    await auditBy(tx, actor, {
      clinicId,
      action: "clinic.time_zone",
      targetType: "clinic",
      targetId: clinicId,
      before: { timeZone: before.timeZone },
      after: { timeZone: input.timeZone },
    });
    return { timeZone: input.timeZone };
  });
}
