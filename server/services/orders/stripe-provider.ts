import Stripe from "stripe";
import type { CardInput } from "@/server/schemas/orders";
import { cardProblem, DECLINED, TEST_CARDS, TEST_CARDS_ONLY, type PaymentAttempt, type PaymentProvider } from "./payment-provider";

/**
 * Card numbers never travel to the processor from our server: the two demo cards stand for
 * Stripe's test payment methods. (Real cards would be tokenized in the browser by Stripe's own
 * form and arrive here as a payment method id.)
 */
const TEST_METHODS: Record<string, string> = { [TEST_CARDS.success]: "pm_card_visa", [TEST_CARDS.declined]: "pm_card_chargeDeclined" };

/** Stripe PaymentIntents: create with the order's idempotency key, confirm, retrieve, cancel. */
export class StripePaymentProvider implements PaymentProvider {
  private readonly stripe: Stripe;

  /** `apiBase` points the client elsewhere than api.stripe.com (a local server speaking the same API). */
  constructor(input: { secretKey: string; apiBase?: string }) {
    const base = input.apiBase ? new URL(input.apiBase) : null;
    this.stripe = new Stripe(input.secretKey, {
      maxNetworkRetries: 2,
      telemetry: false,
      ...(base && {
        host: base.hostname,
        port: base.port || (base.protocol === "http:" ? 80 : 443),
        protocol: base.protocol === "http:" ? "http" : "https",
      }),
    });
  }

  async open({ key, amountCents }: { key: string; amountCents: number }): Promise<PaymentAttempt> {
    // The same parameters every time, so repeating the call with the key answers the same intent.
    const intent = await this.stripe.paymentIntents.create(
      { amount: amountCents, currency: "usd", automatic_payment_methods: { enabled: true, allow_redirects: "never" }, metadata: { key } },
      { idempotencyKey: key },
    );
    return attemptOf(intent);
  }

  async confirm(reference: string, card: CardInput): Promise<PaymentAttempt> {
    const last4 = card.number.slice(-4);
    const method = TEST_METHODS[card.number];
    const problem = cardProblem(card) ?? (method ? null : TEST_CARDS_ONLY);
    if (problem || !method) return { reference, status: "failed", last4, failureReason: problem ?? TEST_CARDS_ONLY };
    try {
      const intent = await this.stripe.paymentIntents.confirm(reference, { payment_method: method }, { idempotencyKey: `${reference}_confirm` });
      return { ...attemptOf(intent), last4 };
    } catch (error) {
      // A decline answers 402 with the intent; a confirmation of an intent already moved on answers 400.
      if (error instanceof Stripe.errors.StripeCardError && error.payment_intent) return { ...attemptOf(error.payment_intent), last4 };
      if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === "payment_intent_unexpected_state") return this.retrieve(reference);
      throw error;
    }
  }

  async retrieve(reference: string): Promise<PaymentAttempt> {
    return attemptOf(await this.stripe.paymentIntents.retrieve(reference, { expand: ["payment_method"] }));
  }

  async cancel(reference: string): Promise<PaymentAttempt> {
    try {
      return attemptOf(await this.stripe.paymentIntents.cancel(reference));
    } catch (error) {
      // Succeeded or processing intents cannot be canceled: say what they are instead.
      if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === "payment_intent_unexpected_state") return this.retrieve(reference);
      throw error;
    }
  }
}

function attemptOf(intent: Stripe.PaymentIntent): PaymentAttempt {
  const method = typeof intent.payment_method === "object" ? intent.payment_method : null;
  const last4 = method?.card?.last4 ?? null;
  const failed = intent.last_payment_error ? DECLINED : null;
  switch (intent.status) {
    case "succeeded":
      return { reference: intent.id, status: "succeeded", last4, failureReason: null };
    case "canceled":
      return { reference: intent.id, status: "canceled", last4, failureReason: failed };
    case "requires_payment_method":
      return { reference: intent.id, status: failed ? "failed" : "open", last4, failureReason: failed };
    case "requires_confirmation":
      return { reference: intent.id, status: "open", last4, failureReason: null };
    default:
      // processing, requires_action, requires_capture: may still succeed.
      return { reference: intent.id, status: "processing", last4, failureReason: null };
  }
}
