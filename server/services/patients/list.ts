import { and, asc, eq, ilike, or, sql, sum } from "drizzle-orm";
import type { Db } from "@/db/client";
import { creditLedger, users } from "@/db/schema";
import { withTransaction, type ServiceContext } from "@/server/kernel/context";
import { recordAccess } from "./access-audit";

/**
 * The clinic's patients with their balances, for the front desk (rule N1: one clinic only).
 * Rule N3: the list and who it showed are written to the audit log in the same transaction.
 */
export async function clinicPatients(ctx: ServiceContext, input: { search: string }) {
  return withTransaction(ctx, async (tx) => {
    const rows = await listPatients(tx.db, { clinicId: tx.clinicId, search: input.search });
    await recordAccess(tx, { action: input.search.trim() ? "patient.search" : "patient.list", search: input.search, patientIds: rows.map((r) => r.id) });
    return rows;
  });
}

async function listPatients(db: Db, input: { clinicId: string; search: string }) {
  const term = `%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const matches = input.search
    ? or(ilike(users.firstName, term), ilike(users.lastName, term), ilike(users.email, term), ilike(sql`${users.firstName} || ' ' || ${users.lastName}`, term))
    : undefined;
  const balances = db
    .select({ patientId: creditLedger.patientId, cents: sum(creditLedger.amountCents).as("balance_cents") })
    .from(creditLedger)
    .where(eq(creditLedger.clinicId, input.clinicId))
    .groupBy(creditLedger.patientId)
    .as("balances");
  return db
    .select({
      id: users.id,
      firstName: users.firstName,
      lastName: users.lastName,
      email: users.email,
      balanceCents: sql<number>`coalesce(${balances.cents}, 0)`.mapWith(Number),
    })
    .from(users)
    .leftJoin(balances, eq(balances.patientId, users.id))
    .where(and(eq(users.clinicId, input.clinicId), eq(users.role, "patient"), matches))
    .orderBy(asc(users.lastName), asc(users.firstName))
    .limit(50);
}
