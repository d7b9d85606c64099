import type { Authorized } from "@/server/auth/guard";
import { and, desc, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { creditLedger, programVersions, referrals, users } from "@/db/schema";
import { formatReward } from "@/server/schemas/money";
import { auditFilter, ledgerFilter, referralFilter, type AuditFilter, type LedgerFilter, type ReferralFilter } from "@/server/schemas/filters";
import type { Role } from "@/server/auth/roles";
import { csvStream, type Cell } from "@/server/kernel/csv";
import { auditBy } from "@/server/kernel/audit";
import { auditRows } from "./audit-log";
import { ledgerWhere, referralWhere } from "./filters";
import { olderThan, positionAt, type Position } from "@/server/kernel/keyset";

export const EXPORT_BATCH = 1000;
export { csvStream };

type Scope<F> = { clinicId: string; filter: F; batchSize?: number };
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

export function referralBatches(db: Db, scope: Scope<ReferralFilter>) {
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
        .where(and(referralWhere(scope.clinicId, scope.filter), after ? olderThan(referrals.createdAt, referrals.id, after) : undefined))
        .orderBy(desc(referrals.createdAt), desc(referrals.id))
        .limit(limit),
    scope.batchSize ?? EXPORT_BATCH,
  );
}

export function ledgerBatches(db: Db, scope: Scope<LedgerFilter>) {
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
        .where(and(ledgerWhere(scope.clinicId, scope.filter), after ? olderThan(creditLedger.createdAt, creditLedger.id, after) : undefined))
        .orderBy(desc(creditLedger.createdAt), desc(creditLedger.id))
        .limit(limit),
    scope.batchSize ?? EXPORT_BATCH,
  );
}

export function auditBatches(db: Db, scope: Scope<AuditFilter>) {
  return keysetBatches(
    (after, limit) => auditRows(db, { clinicId: scope.clinicId, filter: scope.filter, after, limit }),
    scope.batchSize ?? EXPORT_BATCH,
  );
}

/**
 * One export: who may run it, its filter, its columns and how a row becomes cells. Staff get
 * what they work with (names, emails, statuses, amounts), nothing more (rule N3).
 */
const EXPORTS: Record<string, ExportSpec> = {
  referrals: defineExport({
    roles: ["staff", "admin"],
    filter: referralFilter,
    columns: ["Referral ID", "Signed up at", "Status", "Ineligible reason", "Source", "Referrer first name", "Referrer last name", "Referrer email", "New patient first name", "New patient last name", "New patient email", "Referrer reward", "New patient reward", "Qualified at"],
    batches: (db: Db, scope: Scope<ReferralFilter>) => mapBatches(referralBatches(db, scope), (r): Cell[] => [r.id, r.createdAt, r.status, r.ineligibleReason, r.source, r.referrerFirst, r.referrerLast, r.referrerEmail, r.refereeFirst, r.refereeLast, r.refereeEmail, formatReward(r.referrerReward), formatReward(r.refereeReward), r.qualifiedAt]),
  }),
  ledger: defineExport({
    roles: ["staff", "admin"],
    filter: ledgerFilter,
    columns: ["Entry ID", "Date", "Patient first name", "Patient last name", "Patient email", "Type", "Amount ($ or points)", "Memo", "Expires at", "Reward ID", "Order ID"],
    batches: (db: Db, scope: Scope<LedgerFilter>) => mapBatches(ledgerBatches(db, scope), (r): Cell[] => [r.id, r.createdAt, r.firstName, r.lastName, r.email, r.kind, r.unit === "credit" ? dollars(r.amountCents) : r.amountCents, r.memo, r.expiresAt, r.rewardId, r.orderId]),
  }),
  audit: defineExport({
    roles: ["admin"],
    filter: auditFilter,
    columns: ["Entry ID", "Date", "Staff first name", "Staff last name", "Staff email", "Action", "Target type", "Target ID", "Reason", "Before", "After"],
    batches: (db: Db, scope: Scope<AuditFilter>) => mapBatches(auditBatches(db, scope), (r): Cell[] => [r.id, r.createdAt, r.actor.user?.firstName ?? r.actor.name, r.actor.user?.lastName ?? "", r.actor.user?.email ?? "", r.action, r.targetType, r.targetId, r.reason, json(r.before), json(r.after)]),
  }),
};

type ExportSpec = {
  roles: readonly Role[];
  columns: readonly string[];
  open: (db: Db, clinicId: string, raw: unknown) => { ok: true; filter: unknown; batches: AsyncGenerator<Cell[][]> } | { ok: false; message: string };
};

function defineExport<F>(spec: {
  roles: readonly Role[];
  filter: z.ZodType<F>;
  columns: readonly string[];
  batches: (db: Db, scope: Scope<F>) => AsyncGenerator<Cell[][]>;
}): ExportSpec {
  return {
    roles: spec.roles,
    columns: spec.columns,
    open(db, clinicId, raw) {
      const parsed = spec.filter.safeParse(raw);
      if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? "Check the filter." };
      return { ok: true, filter: parsed.data, batches: spec.batches(db, { clinicId, filter: parsed.data }) };
    },
  };
}

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

async function* mapBatches<T>(batches: AsyncGenerator<T[]>, row: (r: T) => Cell[]) {
  for await (const batch of batches) yield batch.map(row);
}

export type ExportOutcome =
  | { ok: true; filename: string; stream: ReadableStream<Uint8Array> }
  | { ok: false; status: 400 | 403 | 404; message: string };

/**
 * Rule C6 with N1 and N3: the export of the caller's own clinic, for the filter in the query,
 * recorded in the audit log before the first row leaves.
 */
export async function openExport(db: Db, caller: Authorized<"staff">, input: { kind: string; query: URLSearchParams }): Promise<ExportOutcome> {
  const kind = input.kind;
  const spec = Object.hasOwn(EXPORTS, kind) ? EXPORTS[kind] : undefined;
  if (!spec) return { ok: false, status: 404, message: "There is no such export." };
  if (!spec.roles.includes(caller.user.role)) return { ok: false, status: 403, message: "Your account does not have access to this export." };
  const opened = spec.open(db, caller.clinicId, Object.fromEntries(input.query));
  if (!opened.ok) return { ok: false, status: 400, message: opened.message };
  await auditBy(db, caller.actor, { clinicId: caller.clinicId, action: `export.${kind}`, targetType: "export", after: { filter: opened.filter } });
  return { ok: true, filename: `${kind}-${new Date().toISOString().slice(0, 10)}.csv`, stream: csvStream(spec.columns, opened.batches) };
}
