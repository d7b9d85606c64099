import { and, asc, eq, ilike, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { creditLedger, users } from "@/db/schema";

/** The clinic's patients with their balances, for the front desk (rule N1: one clinic only). */
export async function clinicPatients(db: Db, input: { clinicId: string; search: string }) {
  const term = `%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const matches = input.search
    ? or(ilike(users.firstName, term), ilike(users.lastName, term), ilike(users.email, term), ilike(sql`${users.firstName} || ' ' || ${users.lastName}`, term))
    : undefined;
  return db
    .select({
      id: users.id,
      firstName: users.firstName,
      lastName: users.lastName,
      email: users.email,
      balanceCents: sql<number>`coalesce((select sum(${creditLedger.amountCents}) from ${creditLedger} where ${creditLedger.patientId} = ${users.id}), 0)`.mapWith(Number),
    })
    .from(users)
    .where(and(eq(users.clinicId, input.clinicId), eq(users.role, "patient"), matches))
    .orderBy(asc(users.lastName), asc(users.firstName))
    .limit(50);
}
