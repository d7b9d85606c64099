import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";

/**
 * One lock order everywhere money moves: the patients' rows first, in id order, then order rows,
 * reward rows and ledger grants. Two transactions touching the same people then queue instead of
 * deadlocking, and whatever they read after the lock is what they write against. "No key
 * update" serializes us without blocking the key-share locks that foreign keys to the row take.
 */
export async function lockPatients(tx: Db, input: { clinicId: string; patientIds: string[] }): Promise<string[]> {
  const ids = [...new Set(input.patientIds)].sort();
  if (!ids.length) return [];
  const locked = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.id, ids), eq(users.clinicId, input.clinicId)))
    .orderBy(asc(users.id))
    .for("no key update");
  return locked.map((row) => row.id);
}
