import type { Db } from "@/db/client";
import { auditLog } from "@/db/schema";

export type AuditEntry = typeof auditLog.$inferInsert;

/**
 * Rule C4: the audit trail. Always called with the transaction that makes the change, so an
 * action and its record commit or fail together.
 */
export async function recordAudit(tx: Db, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values(entry);
}
