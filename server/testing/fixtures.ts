import { randomUUID } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { clinics, referralCodes, services, users } from "@/db/schema";
import { authorize, type SignedInAudience } from "@/server/auth/guard";
import { systemActor, webhookActor } from "@/server/events/actor";
import { createCaller } from "@/server/root";
import { registerPatient } from "@/server/services/patients/sign-up";
import type { Fingerprint } from "@/server/services/referrals/fraud";
import { TestPaymentProvider } from "@/server/services/orders/payment-provider";
import { checkSession, openSession, type SessionRef } from "@/server/auth/sessions";
import { isNull } from "drizzle-orm";

export const DEMO_SLUG = "maple-street";
export const SECOND_SLUG = "harbor-physio";

/** A tRPC caller acting as the given user (or nobody), with the given request cookies; signed in through a real session row. */
export function callerAs(db: Db, userId: string | null, cookies: Record<string, string> = {}, fingerprint: Fingerprint = { ipHash: null, deviceHash: null }) {
  let opened: Promise<string> | undefined;
  const session = async () => (userId ? { userId, sessionId: await (opened ??= openSession(db, { userId, device: "Test browser" })) } : null);
  return callerInSession(db, session, cookies, fingerprint);
}

/** A caller in a given browser session (rule N6): ended sessions are refused like a real browser's. */
export function callerInSession(
  db: Db,
  session: () => Promise<SessionRef | null>,
  cookies: Record<string, string> = {},
  fingerprint: Fingerprint = { ipHash: null, deviceHash: null },
) {
  return createCaller({
    db,
    payments: new TestPaymentProvider(db),
    session,
    sessionUserId: async () => {
      const ref = await session();
      return ref && (await checkSession(db, ref)) ? ref.userId : null;
    },
    cookie: (name) => cookies[name] ?? null,
    fingerprint,
  });
}

/** The one guard (server/auth/guard.ts) on a fresh real session of the user, or on no session: what a file route would decide. */
export async function guardAs<A extends SignedInAudience>(db: Db, userId: string | null, audience: A) {
  return authorize(db, userId ? { userId, sessionId: await openSession(db, { userId, device: "Test browser" }) } : null, audience);
}

/** The guard's yes, for a service test that starts after it; a refusal fails the test. */
export async function authorizedAs<A extends SignedInAudience>(db: Db, userId: string, audience: A) {
  const result = await guardAs(db, userId, audience);
  if (!result.ok) throw new Error(`the guard refused: ${result.message}`);
  return result;
}

/** The first account made with this email (rule N6: a patient may have later ones at other clinics). */
export async function userByEmail(db: Db, email: string) {
  const [user] = await db.select().from(users).where(eq(users.email, email)).orderBy(asc(users.createdAt)).limit(1);
  if (!user) throw new Error(`no seeded user ${email}`);
  return user;
}

export async function clinicOf(db: Db, slug: string) {
  const [clinic] = await db.select().from(clinics).where(eq(clinics.slug, slug));
  if (!clinic) throw new Error(`no clinic ${slug}`);
  return clinic;
}

export async function codeOf(db: Db, patientId: string) {
  const [row] = await db
    .select()
    .from(referralCodes)
    .where(and(eq(referralCodes.patientId, patientId), isNull(referralCodes.rotatedAt)));
  if (!row) throw new Error("patient has no active code");
  return row.code;
}

export async function firstService(db: Db, clinicId: string) {
  const [row] = await db.select().from(services).where(eq(services.clinicId, clinicId)).orderBy(services.priceCents);
  if (!row) throw new Error("clinic has no services");
  return row;
}

let counter = 0;

/** Signs a new patient up at the demo clinic, with a referral code if given. */
export async function signUpPatient(db: Db, overrides: { code?: string; email?: string; phone?: string; firstName?: string; lastName?: string; clinicSlug?: string; fingerprint?: Fingerprint } = {}) {
  counter += 1;
  const email = overrides.email ?? `new-${counter}-${randomUUID().slice(0, 8)}@example.com`;
  const result = await registerPatient(
    { db },
    {
      clinicSlug: overrides.clinicSlug ?? DEMO_SLUG,
      firstName: overrides.firstName ?? "Robin",
      lastName: overrides.lastName ?? "Fischer",
      email,
      phone: overrides.phone,
      password: "a-good-password-9",
      referralCode: overrides.code,
      attributionCode: null,
      fingerprint: overrides.fingerprint ?? { ipHash: null, deviceHash: null },
    },
  );
  if (!result.created) throw new Error(`${email} already has an account at that clinic`);
  return { ...result, email };
}

export const key = () => `test-${randomUUID()}`;

/** The actor of a paid order or refund arriving from outside the app: a payment provider's event. */
export const paymentEvent = (clinicId: string) => webhookActor("stripe", `evt_test_${randomUUID()}`, clinicId);

/** insights: a service context for a read a test makes at a clinic, acting as nobody in particular. */
export const readerContext = (db: Db, clinicId: string) => ({ db, actor: systemActor("test.reader", clinicId), clinicId });
