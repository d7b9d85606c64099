import { randomUUID } from "node:crypto";
import type { CardInput } from "@/server/schemas/orders";

export type ChargeResult =
  | { ok: true; reference: string; last4: string }
  | { ok: false; reason: string; last4: string };

/** Where card payments go. A real processor plugs in here; card data never reaches the database. */
export interface PaymentProvider {
  charge(input: { amountCents: number; card: CardInput; idempotencyKey: string }): Promise<ChargeResult>;
}

export const TEST_CARDS = { success: "4242424242424242", declined: "4000000000000002" } as const;

/** The built-in test processor: one card always succeeds, one always declines. */
export class TestPaymentProvider implements PaymentProvider {
  async charge({ card }: { amountCents: number; card: CardInput; idempotencyKey: string }): Promise<ChargeResult> {
    const last4 = card.number.slice(-4);
    if (!passesLuhn(card.number)) return { ok: false, reason: "That card number is not valid. Check the digits.", last4 };
    if (isExpired(card.expiry)) return { ok: false, reason: "That card has expired.", last4 };
    if (card.number === TEST_CARDS.success) return { ok: true, reference: `test_${randomUUID()}`, last4 };
    if (card.number === TEST_CARDS.declined) return { ok: false, reason: "Your card was declined. Try another card.", last4 };
    return { ok: false, reason: "This clinic takes test cards only. Use 4242 4242 4242 4242.", last4 };
  }
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
