import { asc, eq, sql } from "drizzle-orm";
import { clinics, programs, referrals, users } from "@/db/schema";
import type { PlatformContext } from "@/server/kernel/context";

/** Every clinic on the platform with its program state and sizes; counts only, no patient rows. */
export async function platformClinics(ctx: PlatformContext) {
  const rows = await ctx.db
    .select({
      id: clinics.id,
      name: clinics.name,
      slug: clinics.slug,
      programEnabled: programs.enabled,
      patientCount: sql<number>`(select count(*) from ${users} where ${users.clinicId} = ${clinics.id} and ${users.role} = 'patient')`.mapWith(Number),
      referralCount: sql<number>`(select count(*) from ${referrals} where ${referrals.clinicId} = ${clinics.id})`.mapWith(Number),
      createdAt: clinics.createdAt,
      selfSignedUpAt: clinics.selfSignedUpAt,
      sendingBudgetPerDay: clinics.sendingBudgetPerDay,
    })
    .from(clinics)
    // With a join, drizzle qualifies column names, which the correlated subqueries above rely on.
    .leftJoin(programs, eq(programs.clinicId, clinics.id))
    .orderBy(asc(clinics.name));
  // A clinic without a program row has nothing running.
  return rows.map((row) => ({ ...row, programEnabled: row.programEnabled ?? false }));
}
