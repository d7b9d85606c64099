import { randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { testPaymentAttempts } from "@/db/schema";
import type { CardInput } from "@/server/schemas/orders";

/**
 * One payment attempt at the provider. `open` can still be confirmed (or canceled); `processing`
 * may still succeed; `failed` was declined but is not yet void; `canceled` can never succeed.
 */
export type PaymentAttempt = {
  reference: string;
  status: "open" | "processing" | "succeeded" | "failed" | "canceled";
  last4: string | null;
  failureReason: string | null;
};

/**
 * Where card payments go, in two steps so that a crash at any instant leaves something to ask
 * about: `open` makes the attempt (charging nothing) and names it; the order stores that reference
 * before `confirm` charges. Card data passes through `confirm` and never reaches our database.
 */
export interface PaymentProvider {
  /** The attempt for this key: made once; every later call with the key returns the same one. */
  open(input: { key: string; amountCents: number }): Promise<PaymentAttempt>;
  /** Charges the card for an open attempt; an attempt no longer open comes back as it is. */
  confirm(reference: string, card: CardInput): Promise<PaymentAttempt>;
  retrieve(reference: string): Promise<PaymentAttempt>;
  /** Voids an attempt that has not succeeded; one that succeeded or is processing comes back as it is. */
  cancel(reference: string): Promise<PaymentAttempt>;
}

export const TEST_CARDS = { success: "4242424242424242", declined: "4000000000000002" } as const;

/** Checks any provider makes before it charges; null when the card may be tried. */
export function cardProblem(card: CardInput): string | null {
  if (!passesLuhn(card.number)) return "That card number is not valid. Check the digits.";
  if (isExpired(card.expiry)) return "That card has expired.";
  return null;
}

export const DECLINED = "Your card was declined. Try another card.";
export const TEST_CARDS_ONLY = "This clinic takes test cards only. Use 4242 4242 4242 4242.";

/**
 * The built-in test processor: one card always succeeds, one always declines. Its attempts live
 * in their own table, as a real processor's would live at the processor, so any instance can say
 * what became of an attempt after another instance died mid-checkout.
 */
export class TestPaymentProvider implements PaymentProvider {
  constructor(private readonly db: Db) {}

  async open({ key, amountCents }: { key: string; amountCents: number }): Promise<PaymentAttempt> {
    await this.db.insert(testPaymentAttempts).values({ id: `tpa_${randomUUID()}`, idempotencyKey: key, amountCents }).onConflictDoNothing();
    const [row] = await this.db.select().from(testPaymentAttempts).where(eq(testPaymentAttempts.idempotencyKey, key));
    if (!row) throw new Error("test payment attempt vanished");
    if (row.amountCents !== amountCents) throw new Error(`payment key ${key} was used for another amount`);
    return attemptOf(row);
  }

  async confirm(reference: string, card: CardInput): Promise<PaymentAttempt> {
    const problem =
      cardProblem(card) ?? (card.number === TEST_CARDS.success ? null : card.number === TEST_CARDS.declined ? DECLINED : TEST_CARDS_ONLY);
    // Only an open attempt moves, once, however many confirmations race.
    const [row] = await this.db
      .update(testPaymentAttempts)
      .set({ status: problem ? "failed" : "succeeded", failureReason: problem, last4: card.number.slice(-4) })
      .where(and(eq(testPaymentAttempts.id, reference), eq(testPaymentAttempts.status, "open")))
      .returning();
    return row ? attemptOf(row) : this.retrieve(reference);
  }

  async retrieve(reference: string): Promise<PaymentAttempt> {
    const [row] = await this.db.select().from(testPaymentAttempts).where(eq(testPaymentAttempts.id, reference));
    if (!row) throw new Error(`no test payment attempt ${reference}`);
    return attemptOf(row);
  }

  async cancel(reference: string): Promise<PaymentAttempt> {
    const [row] = await this.db
      .update(testPaymentAttempts)
      .set({ status: "canceled" })
      .where(and(eq(testPaymentAttempts.id, reference), inArray(testPaymentAttempts.status, ["open", "failed"])))
      .returning();
    return row ? attemptOf(row) : this.retrieve(reference);
  }
}

function attemptOf(row: typeof testPaymentAttempts.$inferSelect): PaymentAttempt {
  return { reference: row.id, status: row.status, last4: row.last4, failureReason: row.failureReason };
}

function passesLuhn(digits: string): boolean {
  let total = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    total += d;
  }
  return total % 10 === 0;
}

function isExpired(expiry: string): boolean {
  const [mm, yy] = expiry.split("/").map((p) => Number(p.trim()));
  if (!mm || yy === undefined) return true;
  const endOfMonth = new Date(Date.UTC(2000 + yy, mm, 1));
  return endOfMonth.getTime() <= Date.now();
}
