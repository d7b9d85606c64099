import "server-only";
import { requestSession } from "./auth/request-session";
import { getDb } from "./db";
import { env } from "./env";
import { DEVICE_COOKIE, requestFingerprint } from "@/server/http/clicks";
import { paymentProviderFor } from "@/server/services/orders/providers";
import type { PaymentProvider } from "@/server/services/orders/payment-provider";
import { checkSession, type SessionRef } from "@/server/auth/sessions";
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
  // The same cookie reading as the file routes (server/auth/request-session.ts), read once per request.
  let ref: Promise<SessionRef | null> | undefined;
  const session = () => (ref ??= requestSession(new Request(`http://${headers.get("host") ?? "localhost"}/`, { headers })));
  const sessionUserId = async () => {
    const current = await session();
    return current && (await checkSession(db, current)) ? current.userId : null;
  };
  return { db, payments, session, sessionUserId, cookie, fingerprint: requestFingerprint(headers, cookie(DEVICE_COOKIE)) };
}
