import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { creditLedger, referrals } from "@/db/schema";

/** The console overview's headline numbers, as aggregates over one clinic's rows (rule N1). */
export async function clinicSummary(db: Db, clinicId: string) {
  const [counts] = await db
    .select({
      signedUp: sql<number>`count(*) filter (where ${referrals.status} = 'signed_up')`.mapWith(Number),
      qualified: sql<number>`count(*) filter (where ${referrals.status} = 'qualified')`.mapWith(Number),
      ineligible: sql<number>`count(*) filter (where ${referrals.status} = 'ineligible')`.mapWith(Number),
    })
    .from(referrals)
    .where(eq(referrals.clinicId, clinicId));
  const [credit] = await db
    .select({ issuedCents: sql<number>`coalesce(sum(${creditLedger.amountCents}), 0)`.mapWith(Number) })
    .from(creditLedger)
    .where(and(eq(creditLedger.clinicId, clinicId), eq(creditLedger.kind, "grant")));
  return {
    signedUp: counts?.signedUp ?? 0,
    qualified: counts?.qualified ?? 0,
    ineligible: counts?.ineligible ?? 0,
    creditIssuedCents: credit?.issuedCents ?? 0,
  };
}
