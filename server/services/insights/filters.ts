import { and, eq, gte, lt, type SQL } from "drizzle-orm";
import { auditLog, creditLedger, referrals } from "@/db/schema";
import type { AuditFilter, LedgerFilter, ReferralFilter } from "@/server/schemas/filters";
import { dayBounds } from "@/server/kernel/keyset";

/** Rule N1: every filter starts from the clinic; the rest narrows within it. */
export function referralWhere(clinicId: string, filter: ReferralFilter = {}): SQL | undefined {
  const { start, end } = dayBounds(filter);
  return and(
    eq(referrals.clinicId, clinicId),
    filter.status ? eq(referrals.status, filter.status) : undefined,
    start ? gte(referrals.createdAt, start) : undefined,
    end ? lt(referrals.createdAt, end) : undefined,
  );
}

export function ledgerWhere(clinicId: string, filter: LedgerFilter = {}): SQL | undefined {
  const { start, end } = dayBounds(filter);
  return and(
    eq(creditLedger.clinicId, clinicId),
    filter.kind ? eq(creditLedger.kind, filter.kind) : undefined,
    start ? gte(creditLedger.createdAt, start) : undefined,
    end ? lt(creditLedger.createdAt, end) : undefined,
  );
}

export function auditWhere(clinicId: string, filter: AuditFilter = {}): SQL | undefined {
  const { start, end } = dayBounds(filter);
  return and(
    eq(auditLog.clinicId, clinicId),
    filter.action ? eq(auditLog.action, filter.action) : undefined,
    filter.actor ? eq(auditLog.actorId, filter.actor) : undefined,
    start ? gte(auditLog.createdAt, start) : undefined,
    end ? lt(auditLog.createdAt, end) : undefined,
  );
}
