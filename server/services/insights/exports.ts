import type { ServiceContext } from "@/server/kernel/context";
import { and, desc, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { creditLedger, programVersions, referrals, users } from "@/db/schema";
import { formatReward } from "@/server/schemas/money";
import type { AuditFilter, LedgerFilter, ReferralFilter } from "@/server/schemas/filters";
import { isExportKind, type ExportInput, type ExportKind } from "@/server/schemas/exports";
import type { Role } from "@/server/auth/roles";
import { csvStream, type Cell } from "@/server/kernel/csv";
import { auditBy } from "@/server/kernel/audit";
import { auditRows } from "./audit-log";
import { ledgerWhere, referralWhere } from "./filters";
import { olderThan, positionAt, type Position } from "@/server/kernel/keyset";

export const EXPORT_BATCH = 1000;
export { csvStream };

type Scope<F> = { filter: F; batchSize?: number };
type Keyed = { id: string; position: string };

/** Reads a whole result in keyset-ordered batches, so memory holds one batch at a time. */
async function* keysetBatches<T extends Keyed>(fetch: (after: Position | null, limit: number) => Promise<T[]>, batchSize: number) {
  let after: Position | null = null;
  for (;;) {
    const rows = await fetch(after, batchSize);
    if (rows.length) yield rows;
    const last = rows.at(-1);
    if (!last || rows.length < batchSize) return;
    after = { at: last.position, id: last.id };
  }
}

const referrer = alias(users, "referrer");
const referee = alias(users, "referee");
const dollars = (cents: number) => cents / 100;

export function referralBatches(ctx: ServiceContext, scope: Scope<ReferralFilter>) {
  const { db, clinicId } = ctx;
  return keysetBatches(
    (after, limit) =>
      db
        .select({
          id: referrals.id,
          position: positionAt(referrals.createdAt),
          createdAt: referrals.createdAt,
          status: referrals.status,
          ineligibleReason: referrals.ineligibleReason,
          source: referrals.source,
          referrerFirst: referrer.firstName,
          referrerLast: referrer.lastName,
          referrerEmail: referrer.email,
          refereeFirst: referee.firstName,
          refereeLast: referee.lastName,
          refereeEmail: referee.email,
          referrerReward: { kind: programVersions.referrerRewardKind, amount: programVersions.referrerRewardAmount },
          refereeReward: { kind: programVersions.refereeRewardKind, amount: programVersions.refereeRewardAmount },
          qualifiedAt: referrals.qualifiedAt,
        })
        .from(referrals)
        .innerJoin(referrer, eq(referrer.id, referrals.referrerId))
        .innerJoin(referee, eq(referee.id, referrals.refereeId))
        .innerJoin(programVersions, eq(programVersions.id, referrals.programVersionId))
        .where(and(referralWhere(clinicId, scope.filter), after ? olderThan(referrals.createdAt, referrals.id, after) : undefined))
        .orderBy(desc(referrals.createdAt), desc(referrals.id))
        .limit(limit),
    scope.batchSize ?? EXPORT_BATCH,
  );
}

export function ledgerBatches(ctx: ServiceContext, scope: Scope<LedgerFilter>) {
  const { db, clinicId } = ctx;
  return keysetBatches(
    (after, limit) =>
      db
        .select({
          id: creditLedger.id,
          position: positionAt(creditLedger.createdAt),
          createdAt: creditLedger.createdAt,
          firstName: users.firstName,
          lastName: users.lastName,
          email: users.email,
          kind: creditLedger.kind,
          amountCents: creditLedger.amountCents,
          memo: creditLedger.memo,
          expiresAt: creditLedger.expiresAt,
          unit: creditLedger.unit,
          rewardId: creditLedger.rewardId,
          orderId: creditLedger.orderId,
        })
        .from(creditLedger)
        .innerJoin(users, eq(users.id, creditLedger.patientId))
        .where(and(ledgerWhere(clinicId, scope.filter), after ? olderThan(creditLedger.createdAt, creditLedger.id, after) : undefined))
        .orderBy(desc(creditLedger.createdAt), desc(creditLedger.id))
        .limit(limit),
    scope.batchSize ?? EXPORT_BATCH,
  );
}

export function auditBatches(ctx: ServiceContext, scope: Scope<AuditFilter>) {
  return keysetBatches(
    (after, limit) => auditRows(ctx, { filter: scope.filter, after, limit }),
    scope.batchSize ?? EXPORT_BATCH,
  );
}

/**
 * One export: who may run it, its columns and how a row becomes cells. Staff get what they work
 * with (names, emails, statuses, amounts), nothing more (rule N3).
 */
const EXPORTS = {
  referrals: {
    roles: ["staff", "admin"],
    columns: ["Referral ID", "Signed up at", "Status", "Ineligible reason", "Source", "Referrer first name", "Referrer last name", "Referrer email", "New patient first name", "New patient last name", "New patient email", "Referrer reward", "New patient reward", "Qualified at"],
    batches: (ctx: ServiceContext, scope: Scope<ReferralFilter>) => mapBatches(referralBatches(ctx, scope), (r): Cell[] => [r.id, r.createdAt, r.status, r.ineligibleReason, r.source, r.referrerFirst, r.referrerLast, r.referrerEmail, r.refereeFirst, r.refereeLast, r.refereeEmail, formatReward(r.referrerReward), formatReward(r.refereeReward), r.qualifiedAt]),
  },
  ledger: {
    roles: ["staff", "admin"],
    columns: ["Entry ID", "Date", "Patient first name", "Patient last name", "Patient email", "Type", "Amount ($ or points)", "Memo", "Expires at", "Reward ID", "Order ID"],
    batches: (ctx: ServiceContext, scope: Scope<LedgerFilter>) => mapBatches(ledgerBatches(ctx, scope), (r): Cell[] => [r.id, r.createdAt, r.firstName, r.lastName, r.email, r.kind, r.unit === "credit" ? dollars(r.amountCents) : r.amountCents, r.memo, r.expiresAt, r.rewardId, r.orderId]),
  },
  audit: {
    roles: ["admin"],
    columns: ["Entry ID", "Date", "Staff first name", "Staff last name", "Staff email", "Action", "Target type", "Target ID", "Reason", "Before", "After"],
    batches: (ctx: ServiceContext, scope: Scope<AuditFilter>) => mapBatches(auditBatches(ctx, scope), (r): Cell[] => [r.id, r.createdAt, r.actor.user?.firstName ?? r.actor.name, r.actor.user?.lastName ?? "", r.actor.user?.email ?? "", r.action, r.targetType, r.targetId, r.reason, json(r.before), json(r.after)]),
  },
} satisfies Record<ExportKind, { roles: readonly Role[]; columns: readonly string[]; batches: (ctx: ServiceContext, scope: Scope<never>) => AsyncGenerator<Cell[][]> }>;

/** The rows of one export, its filter typed by its kind. */
function batchesOf(ctx: ServiceContext, input: ExportInput): AsyncGenerator<Cell[][]> {
  switch (input.kind) {
    case "referrals":
      return EXPORTS.referrals.batches(ctx, { filter: input.filter });
    case "ledger":
      return EXPORTS.ledger.batches(ctx, { filter: input.filter });
    case "audit":
      return EXPORTS.audit.batches(ctx, { filter: input.filter });
  }
}

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

async function* mapBatches<T>(batches: AsyncGenerator<T[]>, row: (r: T) => Cell[]) {
  for await (const batch of batches) yield batch.map(row);
}

export type ExportRefusal = { ok: false; status: 403 | 404; message: string };
export type ExportOutcome = { ok: true; filename: string; stream: ReadableStream<Uint8Array> } | ExportRefusal;

/**
 * Rule C6 with N3: whether the caller may run the export named `kind`, before its filter is read:
 * an unknown name is not found, and one the caller's role may not run is refused.
 */
export function exportAccess(role: Role, kind: string): { ok: true; kind: ExportKind } | ExportRefusal {
  if (!isExportKind(kind)) return { ok: false, status: 404, message: "There is no such export." };
  if (!(EXPORTS[kind].roles as readonly Role[]).includes(role)) return { ok: false, status: 403, message: "Your account does not have access to this export." };
  return { ok: true, kind };
}

/**
 * Rule C6 with N1 and N3: the export of the caller's own clinic, for the filter, recorded in the
 * audit log before the first row leaves.
 */
export async function openExport(ctx: ServiceContext, input: ExportInput & { role: Role }): Promise<ExportOutcome> {
  const access = exportAccess(input.role, input.kind);
  if (!access.ok) return access;
  const { kind, filter } = input;
  await auditBy(ctx.db, ctx.actor, { clinicId: ctx.clinicId, action: `export.${kind}`, targetType: "export", after: { filter } });
  return { ok: true, filename: `${kind}-${new Date().toISOString().slice(0, 10)}.csv`, stream: csvStream(EXPORTS[kind].columns, batchesOf(ctx, input)) };
}
