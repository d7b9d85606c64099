import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { staffActor } from "@/server/events/actor";
import type { Db } from "@/db/client";
import { DEMO_PASSWORD } from "@/server/demo/accounts";
import { outboxMessages, referralCodes, users } from "@/db/schema";
import { verifyPassword } from "./password";
import { createTestDb } from "@/server/testing/db";
import { callerAs, clinicOf, DEMO_SLUG, key, SECOND_SLUG, userByEmail } from "@/server/testing/fixtures";
import { checkCredentials, clinicChoices } from "./accounts";
import { inviteMember } from "@/server/services/clinics/invitations";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
});
afterAll(() => handle.drop());

const form = (clinicSlug: string, email: string, password: string) => ({
  clinicSlug,
  firstName: "Ada",
  lastName: "Moreno",
  email,
  phone: "",
  password,
  referralCode: "",
});

// Each call from a network of its own, so these tests meet no throttle (that is sign-in-throttle.test.ts).
const signIn = (input: { email: string; password: string; clinic?: string }) => checkCredentials(db, { ...input, networkHash: key() });

async function accountsOf(email: string) {
  return db.select().from(users).where(eq(users.email, email));
}

async function messagesTo(email: string) {
  return db.select().from(outboxMessages).where(eq(outboxMessages.to, email));
}

describe("rule N6: one email, two clinics, two separate accounts", () => {
  it("makes a second account at harbor-physio for an email already at maple-street (public contract)", async () => {
    const email = `ada-${key()}@example.com`;
    const first = await callerAs(db, null).account.signUp(form(DEMO_SLUG, email, "maple-password-1"));
    const second = await callerAs(db, null).account.signUp(form(SECOND_SLUG, email, "harbor-password-2"));
    expect(first).toEqual({ signInPath: "/signin/maple-street" });
    expect(second).toEqual({ signInPath: "/signin/harbor-physio" });

    const accounts = await accountsOf(email);
    const maple = await clinicOf(db, DEMO_SLUG);
    const harbor = await clinicOf(db, SECOND_SLUG);
    expect(accounts.map((a) => a.clinicId).sort()).toEqual([maple.id, harbor.id].sort());
    const [atMaple, atHarbor] = [accounts.find((a) => a.clinicId === maple.id), accounts.find((a) => a.clinicId === harbor.id)];
    // Each its own password and its own code (rule P2).
    expect(await verifyPassword("maple-password-1", atMaple?.passwordHash ?? "")).toMatchObject({ ok: true });
    expect(await verifyPassword("maple-password-1", atHarbor?.passwordHash ?? "")).toMatchObject({ ok: false });
    const codes = await db.select().from(referralCodes).where(eq(referralCodes.patientId, atHarbor?.id ?? ""));
    expect(codes).toHaveLength(1);
    expect(codes[0]?.clinicId).toBe(harbor.id);

    // Each signs in with its own password, by email alone or at its clinic's sign-in.
    expect(await signIn({ email, password: "maple-password-1" })).toMatchObject({ ok: true, user: { id: atMaple?.id } });
    expect(await signIn({ email, password: "harbor-password-2" })).toMatchObject({ ok: true, user: { id: atHarbor?.id } });
    expect(await signIn({ email, password: "harbor-password-2", clinic: SECOND_SLUG })).toMatchObject({ ok: true, user: { id: atHarbor?.id } });
    // One clinic's password never opens the other clinic's account.
    expect(await signIn({ email, password: "maple-password-1", clinic: SECOND_SLUG })).toEqual({ ok: false, reason: "invalid_credentials" });
    expect(await signIn({ email, password: "maple-password-1", clinic: "no-such-clinic" })).toEqual({ ok: false, reason: "invalid_credentials" });

    // Neither portal shows the other's data.
    const mapleView = await callerAs(db, atMaple?.id ?? null).portal.overview();
    const harborView = await callerAs(db, atHarbor?.id ?? null).portal.overview();
    expect(mapleView.clinicName).toBe("Maple Street Dental");
    expect(harborView.clinicName).toBe(harbor.name);
    expect(harborView.code === null || harborView.code !== mapleView.code).toBe(true);
    await callerAs(db, atHarbor?.id ?? null).portal.acceptTerms({ termsVersion: harborView.termsVersion });
    const harborCode = (await callerAs(db, atHarbor?.id ?? null).portal.overview()).code;
    expect(JSON.stringify(await callerAs(db, atMaple?.id ?? null).portal.referrals())).not.toContain(atHarbor?.id ?? "x");
    expect(JSON.stringify(await callerAs(db, atMaple?.id ?? null).portal.overview())).not.toContain(harborCode ?? "x");
    expect(JSON.stringify(await callerAs(db, atHarbor?.id ?? null).portal.ledger())).not.toContain(atMaple?.id ?? "x");
  });

  it("asks which clinic only when the password opens accounts at both, and names only those", async () => {
    const email = `same-${key()}@example.com`;
    await callerAs(db, null).account.signUp(form(DEMO_SLUG, email, "shared-password-3"));
    await callerAs(db, null).account.signUp(form(SECOND_SLUG, email, "shared-password-3"));
    expect(await signIn({ email, password: "shared-password-3" })).toEqual({ ok: false, reason: "choose_clinic" });
    expect(await signIn({ email, password: "not-it-at-all-4" })).toEqual({ ok: false, reason: "invalid_credentials" });
    const choices = await clinicChoices(db, { email, password: "shared-password-3" });
    expect(choices.map((c) => c.slug).sort()).toEqual([SECOND_SLUG, DEMO_SLUG].sort());
    expect(await clinicChoices(db, { email, password: "not-it-at-all-4" })).toEqual([]);
    expect(await signIn({ email, password: "shared-password-3", clinic: DEMO_SLUG })).toMatchObject({ ok: true });
  });

  it("still signs the demo accounts in by email and password alone (public contract)", async () => {
    for (const email of ["admin@demo.test", "staff@demo.test", "patient@demo.test", "admin@second.test", "platform@demo.test"]) {
      expect(await signIn({ email, password: DEMO_PASSWORD }), email).toMatchObject({ ok: true });
    }
  });
});

describe("rule N6: sign-up at a clinic where the email has an account says nothing of it", () => {
  it("answers exactly as a new sign-up, keeps the account as it was, and tells its owner by message", async () => {
    const email = `owner-${key()}@example.com`;
    const fresh = await callerAs(db, null).account.signUp(form(DEMO_SLUG, email, "owner-password-5"));
    const [before] = await accountsOf(email);
    const again = await callerAs(db, null).account.signUp({ ...form(DEMO_SLUG, email.toUpperCase(), "intruder-password-6"), firstName: "Mallory" });
    expect(again).toEqual(fresh);

    const after = await accountsOf(email);
    expect(after).toEqual([before]);
    expect(await signIn({ email, password: "intruder-password-6" })).toEqual({ ok: false, reason: "invalid_credentials" });
    expect(await signIn({ email, password: "owner-password-5" })).toMatchObject({ ok: true });

    const maple = await clinicOf(db, DEMO_SLUG);
    const sent = await messagesTo(email);
    expect(sent.map((m) => m.kind).sort()).toEqual(["account.verify_email", "patient.sign_up_existing", "patient.welcome"]);
    const notice = sent.find((m) => m.kind === "patient.sign_up_existing");
    expect(notice).toMatchObject({ clinicId: maple.id });
    expect(notice?.body).toContain("/signin/maple-street");
    // The clinic's messages are never in the platform's message log (rule N1).
    const platformLog = await callerAs(db, (await userByEmail(db, "platform@demo.test")).id).platformB2b.messages();
    expect(JSON.stringify(platformLog)).not.toContain(email);
  });

  it("keeps a platform admin's address theirs alone: a patient sign-up with it makes nothing, answered the same", async () => {
    const answer = await callerAs(db, null).account.signUp(form(DEMO_SLUG, "platform@demo.test", "platform-attempt-7"));
    expect(answer).toEqual({ signInPath: "/signin/maple-street" });
    expect((await accountsOf("platform@demo.test")).map((u) => u.role)).toEqual(["platform_admin"]);
    expect(await signIn({ email: "platform@demo.test", password: DEMO_PASSWORD })).toMatchObject({ ok: true });
  });

  it("a staff address: a patient of another clinic may be invited; one already at this clinic may not", async () => {
    const maple = await clinicOf(db, DEMO_SLUG);
    const admin = await userByEmail(db, "admin@demo.test");
    const harborPatient = `harbor-${key()}@example.com`;
    await callerAs(db, null).account.signUp(form(SECOND_SLUG, harborPatient, "harbor-password-8"));
    await expect(inviteMember({ db, actor: staffActor(admin.id, maple.id), clinicId: maple.id }, { email: harborPatient, role: "staff" })).resolves.toMatchObject({ path: expect.any(String) });
    await expect(inviteMember({ db, actor: staffActor(admin.id, maple.id), clinicId: maple.id }, { email: "patient@demo.test", role: "staff" })).rejects.toThrow(/already has an account/);
    // A staff address signing up as a patient of its own clinic gets the same answer, and no second account.
    expect(await callerAs(db, null).account.signUp(form(DEMO_SLUG, "staff@demo.test", "staff-attempt-9"))).toEqual({ signInPath: "/signin/maple-street" });
    expect(await db.select().from(users).where(and(eq(users.email, "staff@demo.test"), eq(users.clinicId, maple.id)))).toHaveLength(1);
  });
});
