import { randomInt } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { referralCodes } from "@/db/schema";
import type { ServiceContext } from "@/server/kernel/context";

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
export async function issueCode(ctx: ServiceContext, input: { patientId: string }) {
  const [row] = await issueCodes(ctx, { patientIds: [input.patientId] });
  if (!row) throw new Error("could not draw an unused referral code");
  return row;
}

/**
 * A read by the patient alone, needing no actor: message composition and the REST link lookup
 * call it where none is at hand, so it takes the database only.
 */
export async function activeCode(ctx: Pick<ServiceContext, "db">, input: { patientId: string }) {
  const [row] = await ctx.db
    .select()
    .from(referralCodes)
    .where(and(eq(referralCodes.patientId, input.patientId), isNull(referralCodes.rotatedAt)));
  return row;
}

/**
 * Rule P2: the one place codes are made, for one patient or a whole import batch in one insert.
 * A collision at 45 bits is near impossible; a code drawn twice is drawn again, not a failure.
 */
export async function issueCodes(ctx: ServiceContext, input: { patientIds: string[] }) {
  const issued: (typeof referralCodes.$inferSelect)[] = [];
  let waiting = input.patientIds;
  for (let attempt = 0; waiting.length && attempt < 5; attempt++) {
    const rows = await ctx.db
      .insert(referralCodes)
      .values(waiting.map((patientId) => ({ clinicId: ctx.clinicId, patientId, code: generateCode() })))
      .onConflictDoNothing({ target: referralCodes.code })
      .returning();
    issued.push(...rows);
    const done = new Set(rows.map((r) => r.patientId));
    waiting = waiting.filter((id) => !done.has(id));
  }
  if (waiting.length) throw new Error("could not draw unused referral codes");
  return issued;
}
