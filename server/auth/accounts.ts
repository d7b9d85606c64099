import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { clinics, users } from "@/db/schema";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "./password";
import { DomainError } from "@/server/kernel/errors";
import { beginSignIn, signInSucceeded } from "./sign-in-throttle";

/** Where a clinic's patients sign in; the link in every portal-facing message. */
export const signInPath = (clinicSlug: string) => `/signin/${clinicSlug}`;

export type SignInFailure = "invalid_credentials" | "disabled" | "throttled" | "choose_clinic";

export type SignInInput = { email: string; password: string; clinic?: string | null; networkHash?: string | null };

type SignInAccount = typeof users.$inferSelect & { clinicSlug: string | null; clinicName: string | null };

/** The accounts an email may sign in to: at the named clinic only, or all of them. */
async function accountsFor(db: Db, email: string, clinicSlug: string | null | undefined): Promise<SignInAccount[]> {
  const rows = await db
    .select({ user: users, clinicSlug: clinics.slug, clinicName: clinics.name })
    .from(users)
    .leftJoin(clinics, eq(clinics.id, users.clinicId))
    .where(clinicSlug ? and(eq(users.email, email), eq(clinics.slug, clinicSlug)) : eq(users.email, email))
    .orderBy(asc(users.createdAt))
    .limit(MAX_ACCOUNTS);
  return rows.map((r) => ({ ...r.user, clinicSlug: r.clinicSlug, clinicName: r.clinicName }));
}

// An email's accounts are checked at once (argon2 runs on the thread pool), so a few take about as long as one.
const MAX_ACCOUNTS = 8;

/** The accounts whose password is this one; every lookup spends at least one hash (rule N6). */
async function matchingAccounts(db: Db, input: SignInInput): Promise<SignInAccount[]> {
  const email = input.email.trim().toLowerCase();
  const candidates = (await accountsFor(db, email, input.clinic)).filter((u) => u.passwordHash);
  if (!candidates.length) {
    await verifyAgainstDummy(input.password);
    return [];
  }
  const checks = await Promise.all(candidates.map(async (u) => ({ user: u, check: await verifyPassword(input.password, u.passwordHash ?? "") })));
  const matched = checks.filter((c) => c.check.ok);
  for (const { user, check } of matched) {
    if (!check.needsRehash || !user.passwordHash) continue;
    // Conditional on the old hash: a password changed meanwhile is never overwritten.
    await db
      .update(users)
      .set({ passwordHash: await hashPassword(input.password) })
      .where(and(eq(users.id, user.id), eq(users.passwordHash, user.passwordHash)));
  }
  return matched.map((c) => c.user);
}

/**
 * Rule N6: an unknown email and a wrong password give the same answer after the same work (a
 * hash check against a dummy), so neither the reply nor its timing tells which emails have
 * accounts. An email with accounts at several clinics signs in to the one its `clinic` (slug)
 * names; without one, to the account this password opens, and only when it opens more than one
 * is the person asked to choose (they have proven the password by then). Failed tries are
 * throttled per email and network and per network (see sign-in-throttle.ts).
 * A legacy or weaker hash is replaced after a successful check.
 */
export async function checkCredentials(
  db: Db,
  input: SignInInput,
): Promise<
  | { ok: true; user: { id: string; email: string; name: string } }
  | { ok: false; reason: Exclude<SignInFailure, "throttled"> }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number }
> {
  const networkHash = input.networkHash ?? null;
  const attempt = await beginSignIn(db, { email: input.email, networkHash });
  if (!attempt.ok) return { ok: false, reason: "throttled", retryAfterSeconds: attempt.retryAfterSeconds };
  const matched = await matchingAccounts(db, input);
  if (!matched.length) return { ok: false, reason: "invalid_credentials" };
  await signInSucceeded(db, { email: input.email, networkHash });
  if (matched.length > 1) return { ok: false, reason: "choose_clinic" };
  const [user] = matched;
  if (!user) return { ok: false, reason: "invalid_credentials" };
  if (user.disabledAt) return { ok: false, reason: "disabled" };
  return { ok: true, user: { id: user.id, email: user.email, name: `${user.firstName} ${user.lastName}` } };
}

/** After "choose_clinic": the clinics whose account this email and password open, to pick one from. */
export async function clinicChoices(db: Db, input: { email: string; password: string }): Promise<{ slug: string; name: string }[]> {
  const matched = await matchingAccounts(db, input);
  return matched.flatMap((u) => (u.clinicSlug && u.clinicName ? [{ slug: u.clinicSlug, name: u.clinicName }] : []));
}

/** The caller as the database knows them now; roles are never trusted from the session token. */
export async function loadActor(db: Db, userId: string) {
  const [user] = await db
    .select({ id: users.id, clinicId: users.clinicId, role: users.role, firstName: users.firstName, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.id, userId));
  return user && !user.disabledAt ? user : undefined;
}

export async function clinicPatient(db: Db, input: { clinicId: string; patientId: string }) {
  const [patient] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, input.patientId), eq(users.clinicId, input.clinicId), eq(users.role, "patient")));
  if (!patient) throw new DomainError("not_found", "No such patient at this clinic.");
  return patient;
}
