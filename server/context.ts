import "server-only";
import { sessionRef, sessionUserId } from "./auth/config";
import { getDb } from "./db";
import { env } from "./env";
import { DEVICE_COOKIE, requestFingerprint } from "./services/clicks";
import { paymentProviderFor } from "./services/payment-providers";
import type { PaymentProvider } from "./services/payments";
import type { Context } from "./trpc";

let payments: PaymentProvider | undefined;

function cookieReader(header: string | null) {
  return (name: string) => {
    for (const part of (header ?? "").split(";")) {
      const [key, ...value] = part.trim().split("=");
      if (key === name) return decodeURIComponent(value.join("="));
    }
    return null;
  };
}

/** The context of a real request: the app database, the session only when asked for. */
export async function createRequestContext(headers: Headers): Promise<Context> {
  const cookie = cookieReader(headers.get("cookie"));
  const db = await getDb();
  payments ??= paymentProviderFor(db, { stripeSecretKey: env.STRIPE_SECRET_KEY, stripeApiBase: env.STRIPE_API_BASE });
  return { db, payments, session: sessionRef, sessionUserId, cookie, fingerprint: requestFingerprint(headers, cookie(DEVICE_COOKIE)) };
}
