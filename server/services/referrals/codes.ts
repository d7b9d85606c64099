import { randomInt } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { referralCodes } from "@/db/schema";

// Rule P2: no look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V): 23 symbols, 10 of them, 45 bits.
export const CODE_ALPHABET = "ACDEFGHJKMNPQRTWXY34679";
export const CODE_LENGTH = 10;

export function generateCode(): string {
  let code = "";
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** Codes are shown upper case but typed any way, with spaces or dashes. */
export function canonicalCode(input: string): string {
  return input.trim().toUpperCase().replace(/[\s-]/g, "");
}

/** Rule P2: issues the patient's code in the transaction that creates the patient (or rotates it). */
export async function issueCode(tx: Db, input: { clinicId: string; patientId: string }) {
  const [row] = await issueCodes(tx, { clinicId: input.clinicId, patientIds: [input.patientId] });
  if (!row) throw new Error("could not draw an unused referral code");
  return row;
}

export async function activeCode(db: Db, patientId: string) {
  const [row] = await db
    .select()
    .from(referralCodes)
    .where(and(eq(referralCodes.patientId, patientId), isNull(referralCodes.rotatedAt)));
  return row;
}

/**
 * Rule P2: the one place codes are made, for one patient or a whole import batch in one insert.
 * A collision at 45 bits is near impossible; a code drawn twice is drawn again, not a failure.
 */
export async function issueCodes(tx: Db, input: { clinicId: string; patientIds: string[] }) {
  const issued: (typeof referralCodes.$inferSelect)[] = [];
  let waiting = input.patientIds;
  for (let attempt = 0; waiting.length && attempt < 5; attempt++) {
    const rows = await tx
      .insert(referralCodes)
      .values(waiting.map((patientId) => ({ clinicId: input.clinicId, patientId, code: generateCode() })))
      .onConflictDoNothing({ target: referralCodes.code })
      .returning();
    issued.push(...rows);
    const done = new Set(rows.map((r) => r.patientId));
    waiting = waiting.filter((id) => !done.has(id));
  }
  if (waiting.length) throw new Error("could not draw unused referral codes");
  return issued;
}
