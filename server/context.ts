import "server-only";
import { sessionUserId } from "./auth/config";
import { getDb } from "./db";
import { DEVICE_COOKIE, requestFingerprint } from "./services/clicks";
import { TestPaymentProvider } from "./services/payments";
import type { Context } from "./trpc";

const payments = new TestPaymentProvider();

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
  return { db: await getDb(), payments, sessionUserId, cookie, fingerprint: requestFingerprint(headers, cookie(DEVICE_COOKIE)) };
}
