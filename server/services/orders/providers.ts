import type { Db } from "@/db/client";
import { TestPaymentProvider, type PaymentProvider } from "./payment-provider";
import { StripePaymentProvider } from "./stripe-provider";

/** Stripe when a secret key is configured; otherwise the built-in test processor (the demo's). */
export function paymentProviderFor(db: Db, config: { stripeSecretKey?: string; stripeApiBase?: string }): PaymentProvider {
  if (config.stripeSecretKey) return new StripePaymentProvider({ secretKey: config.stripeSecretKey, apiBase: config.stripeApiBase });
  return new TestPaymentProvider(db);
}
