import { and, count, eq, inArray } from "drizzle-orm";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { accountTokens, auditLog, clinics, invitations, outboxMessages, programs, programVersions, users } from "@/db/schema";
import { verifyEmail } from "@/server/auth/account-links";
import { deliverableBody } from "@/server/messaging/store";
import type { StartProgramInput } from "@/server/schemas/clinic-onboarding";
import { createTestDb, itConcurrently } from "@/server/testing/db";
import { callerAs, DEMO_SLUG, key, userByEmail } from "@/server/testing/fixtures";
import { checkCredentials } from "@/server/auth/accounts";
import { acceptInvitation } from "./invitations";
import { NETWORK_LIMITS } from "@/server/kernel/rate-limit";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
});
afterAll(() => handle.drop());

const slug = () => `practice-${key().slice(5, 13).toLowerCase()}`;

function form(overrides: Partial<StartProgramInput> = {}): StartProgramInput {
  return {
    practiceName: "Juniper Family Dental",
    slug: slug(),
    timeZone: "America/Denver",
    firstName: "Jun",
    lastName: "Okafor",
    email: `jun-${key()}@juniper.example`,
    password: "juniper-smiles-42",
    termsAccepted: true,
    baaAccepted: true,
    ...overrides,
  };
}

/** Each caller from a network of its own, unless one is given: only the rate-limit test shares one. */
const stranger = (network: string = key()) => callerAs(db, null, {}, { ipHash: network, deviceHash: null });

/** What a sign-up could have written, counted platform-wide: a refused one must move none of it. */
async function footprint() {
  const [[c], [u], [p], [v], [o], [a], [t]] = await Promise.all([
    db.select({ n: count() }).from(clinics),
    db.select({ n: count() }).from(users),
    db.select({ n: count() }).from(programs),
    db.select({ n: count() }).from(programVersions),
    db.select({ n: count() }).from(outboxMessages),
    db.select({ n: count() }).from(auditLog),
    db.select({ n: count() }).from(accountTokens),
  ]);
  return { clinics: c?.n, users: u?.n, programs: p?.n, versions: v?.n, messages: o?.n, audit: a?.n, tokens: t?.n };
}

async function clinicBySlug(value: string) {
  return db.select().from(clinics).where(eq(clinics.slug, value));
}

/** The token of the newest verification link mailed to this address, as the mailbox would read it. */
async function verificationToken(email: string): Promise<string> {
  const rows = await db.select().from(outboxMessages).where(and(eq(outboxMessages.to, email), eq(outboxMessages.kind, "account.verify_email")));
  const row = rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
  const token = row ? /\/verify\/([\w-]+)/.exec(deliverableBody(row))?.[1] : undefined;
  if (!token) throw new Error(`no verification link was mailed to ${email}`);
  return token;
}

async function adminOf(email: string) {
  const [admin] = await db.select().from(users).where(and(eq(users.email, email), eq(users.role, "admin")));
  if (!admin) throw new Error(`no admin ${email}`);
  return admin;
}

describe("issue 13: a practice starts its own referral program", () => {
  it("makes the clinic in its zone, its program paused with the default terms, an unconfirmed admin who can sign in, one verification email, audited", async () => {
    const input = form({ timeZone: "america/denver", email: `Jun-${key()}@Juniper.example` });
    const email = input.email.toLowerCase();
    expect(await stranger().onboarding.startProgram(input)).toEqual({ signInPath: "/signin" });

    const [clinic] = await clinicBySlug(input.slug);
    expect(clinic).toMatchObject({ name: "Juniper Family Dental", timeZone: "America/Denver" });
    const [program] = await db.select().from(programs).where(eq(programs.clinicId, clinic?.id ?? ""));
    expect(program?.enabled).toBe(false);
    const versions = await db.select().from(programVersions).where(eq(programVersions.clinicId, clinic?.id ?? ""));
    expect(versions).toHaveLength(1);
    expect(program?.currentVersionId).toBe(versions[0]?.id);

    const admin = await adminOf(email);
    expect(admin).toMatchObject({ clinicId: clinic?.id, firstName: "Jun", lastName: "Okafor", emailVerifiedAt: null });
    expect(admin.passwordHash).toMatch(/^\$argon2/);

    const mails = await db.select().from(outboxMessages).where(eq(outboxMessages.to, email));
    expect(mails.map((m) => m.kind)).toEqual(["account.verify_email"]);
    // The link is sealed: staff reading the log see no token.
    expect(mails[0]?.body).not.toMatch(/\/verify\/[\w-]{20,}/);

    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.clinicId, clinic?.id ?? ""), eq(auditLog.action, "clinic.create")));
    expect(entry).toMatchObject({ actorId: admin.id, actorKind: "staff" });

    // The new admin signs in by email alone and works in their own clinic's console.
    const signedIn = await checkCredentials(db, { email, password: input.password, networkHash: key() });
    expect(signedIn).toMatchObject({ ok: true, user: { id: admin.id } });
    const desk = callerAs(db, admin.id);
    expect((await desk.clinic.profile()).slug).toBe(input.slug);
    const steps = await desk.dashboard.checklist();
    expect(steps.find((s) => s.id === "live")).toEqual({ id: "live", done: false, waitingFor: "email_confirmation" });
  });

  it("a taken address answers CONFLICT on the address field and changes nothing", async () => {
    const before = await footprint();
    const error = await stranger()
      .onboarding.startProgram(form({ slug: DEMO_SLUG }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("CONFLICT");
    expect((error as TRPCError).message).toBe(`The address "${DEMO_SLUG}" is taken by another clinic. Choose another.`);
    expect(((error as TRPCError).cause as { field?: string }).field).toBe("slug");
    expect(await footprint()).toEqual(before);
  });

  it("rule N4: bad input gets its field's own message and changes nothing", async () => {
    const before = await footprint();
    const cases: [Partial<StartProgramInput>, RegExp][] = [
      [{ practiceName: "Juniper\u0000Dental" }, /invisible control characters/],
      [{ lastName: "x".repeat(5 * 1024 * 1024) }, /at most 80 characters/],
      [{ practiceName: "y".repeat(5 * 1024 * 1024) }, /under 120 characters/],
      [{ email: "jun-at-juniper" }, /valid email address/],
      [{ password: "short1" }, /at least 10 characters/],
      [{ password: "onlyletterslong" }, /mix of letters and numbers/],
      [{ password: "password123" }, /too common/],
      [{ slug: "Not A Slug!" }, /lower-case letters/],
      [{ timeZone: "Mars/Olympus" }, /not a time zone we know/],
      [{ termsAccepted: false }, /Accept the platform terms/],
    ];
    for (const [change, message] of cases) {
      const error = await stranger()
        .onboarding.startProgram(form(change))
        .catch((e: unknown) => e);
      expect(error, JSON.stringify(change).slice(0, 80)).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe("BAD_REQUEST");
      expect((error as TRPCError).message).toMatch(message);
    }
    expect(await footprint()).toEqual(before);
  });

  itConcurrently("the same form sent twice at once makes one clinic and one admin, and both answers are the same", async () => {
    const input = form();
    const answers = await Promise.all([stranger().onboarding.startProgram(input), stranger().onboarding.startProgram(input)]);
    expect(answers).toEqual([{ signInPath: "/signin" }, { signInPath: "/signin" }]);
    expect(await clinicBySlug(input.slug)).toHaveLength(1);
    expect(await db.select().from(users).where(eq(users.email, input.email))).toHaveLength(1);
    expect(await db.select().from(outboxMessages).where(eq(outboxMessages.to, input.email))).toHaveLength(1);
  });

  itConcurrently("two different people racing for one address: one clinic, the other is told the address is taken", async () => {
    const contested = slug();
    const results = await Promise.allSettled([1, 2, 3].map((n) => stranger().onboarding.startProgram(form({ slug: contested, email: `racer-${n}-${key()}@example.com` }))));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect((r.reason as TRPCError).code).toBe("CONFLICT");
    expect(await clinicBySlug(contested)).toHaveLength(1);
  });

  it("rule N6: an address that already has a team account gets the same answer; nothing is made and its owner is told", async () => {
    const input = form({ email: "admin@demo.test" });
    const before = await footprint();
    expect(await stranger().onboarding.startProgram(input)).toEqual({ signInPath: "/signin" });
    expect(await clinicBySlug(input.slug)).toEqual([]);
    const after = await footprint();
    expect(after).toEqual({ ...before, messages: (before.messages ?? 0) + 1 });
    const [told] = await db.select().from(outboxMessages).where(and(eq(outboxMessages.to, "admin@demo.test"), eq(outboxMessages.kind, "account.program_sign_up_existing")));
    expect(told?.subject).toBe("Someone tried to start a referral program with your email");
    expect(told?.body).toContain("Juniper Family Dental");
    // The demo admin's own account is untouched.
    expect((await userByEmail(db, "admin@demo.test")).firstName).not.toBe("Jun");
  });

  it("a patient of another clinic may start a program with the same address: the admin account is their own", async () => {
    const input = form({ email: "patient@demo.test" });
    await stranger().onboarding.startProgram(input);
    const [clinic] = await clinicBySlug(input.slug);
    expect((await adminOf("patient@demo.test")).clinicId).toBe(clinic?.id);
  });

  it("rule N6: sign-ups are limited per network in Postgres; the refused one makes nothing, another network goes on", async () => {
    const network = key();
    for (let i = 0; i < NETWORK_LIMITS.startProgram.limit; i++) await stranger(network).onboarding.startProgram(form());
    const before = await footprint();
    const refused = form();
    const error = await stranger(network)
      .onboarding.startProgram(refused)
      .catch((e: unknown) => e);
    expect((error as TRPCError).code).toBe("TOO_MANY_REQUESTS");
    expect((error as TRPCError).message).toMatch(/several requests from you in a short time/);
    expect(await footprint()).toEqual(before);
    expect(await clinicBySlug(refused.slug)).toEqual([]);
    await stranger().onboarding.startProgram(refused);
    expect(await clinicBySlug(refused.slug)).toHaveLength(1);
  });
});

describe("issue 13, rule P1: going live needs a confirmed admin address", () => {
  it("the program cannot be turned on before the admin confirms the emailed link, and can after", async () => {
    const input = form();
    await stranger().onboarding.startProgram(input);
    const admin = await adminOf(input.email);
    const desk = callerAs(db, admin.id);
    const program = await desk.clinic.program();

    const refused = await desk.clinic.updateProgram({ ...program, enabled: true }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe("PRECONDITION_FAILED");
    expect((refused as TRPCError).message).toMatch(/^Confirm your email address first/);
    // Nothing moved: still paused, no new version, no audit entry.
    expect((await desk.clinic.program()).enabled).toBe(false);
    expect(await db.select().from(programVersions).where(eq(programVersions.clinicId, admin.clinicId ?? ""))).toHaveLength(1);
    // Other settings still save while paused.
    await desk.clinic.updateProgram({ ...program, enabled: false, refereeReward: { kind: "credit", amount: 2_000 } });

    // A new link can be asked for; both work until used.
    expect(await desk.accountEmails.resendVerification()).toEqual({ state: "sent" });
    expect(await db.select().from(outboxMessages).where(and(eq(outboxMessages.to, input.email), eq(outboxMessages.kind, "account.verify_email")))).toHaveLength(2);
    expect(await verifyEmail(db, await verificationToken(input.email))).toBe(true);
    expect(await desk.accountEmails.resendVerification()).toEqual({ state: "already_verified" });

    const live = await desk.clinic.updateProgram({ ...(await desk.clinic.program()), enabled: true });
    expect(live.enabled).toBe(true);
    expect((await desk.dashboard.checklist()).find((s) => s.id === "live")).toEqual({ id: "live", done: true, waitingFor: null });
  });

  it("a new link is limited per account", async () => {
    const input = form();
    await stranger().onboarding.startProgram(input);
    const desk = callerAs(db, (await adminOf(input.email)).id);
    for (let i = 0; i < 3; i++) await desk.accountEmails.resendVerification();
    await expect(desk.accountEmails.resendVerification()).rejects.toThrow(/several requests from you/);
  });

  it("seeded clinics pass, and so does a clinic whose invited admin then confirmed the verification email (issue 19: accepting alone does not)", async () => {
    const seeded = callerAs(db, (await userByEmail(db, "admin@demo.test")).id);
    await seeded.clinic.updateProgram({ ...(await seeded.clinic.program()), enabled: false });
    expect((await seeded.clinic.updateProgram({ ...(await seeded.clinic.program()), enabled: true })).enabled).toBe(true);

    const platform = callerAs(db, (await userByEmail(db, "platform@demo.test")).id);
    const adminEmail = `owner-${key()}@invited.example`;
    const { clinicId } = await platform.platform.createClinic({ name: "Invited Dental", slug: slug(), timeZone: "America/Chicago", adminEmail });
    const [mail] = await db.select().from(outboxMessages).where(and(eq(outboxMessages.to, adminEmail), eq(outboxMessages.kind, "team.invitation")));
    const token = mail ? /\/invite\/([\w-]+)/.exec(deliverableBody(mail))?.[1] : undefined;
    const { userId } = await acceptInvitation({ db }, { token: token ?? "", firstName: "Ina", lastName: "Vited", password: "invited-pass-77", baaAccepted: true });
    expect((await adminOf(adminEmail)).emailVerifiedAt).toBeNull();
    expect(await verifyEmail(db, await verificationToken(adminEmail))).toBe(true);
    const invited = callerAs(db, userId);
    expect((await invited.clinic.updateProgram({ ...(await invited.clinic.program()), enabled: true })).enabled).toBe(true);
    expect(await db.select().from(invitations).where(and(eq(invitations.clinicId, clinicId), inArray(invitations.email, [adminEmail])))).toHaveLength(1);
  });

  it("a platform admin may resume a self-signed-up clinic before its admin confirms (their own decision, audited)", async () => {
    const input = form();
    await stranger().onboarding.startProgram(input);
    const [clinic] = await clinicBySlug(input.slug);
    const platform = callerAs(db, (await userByEmail(db, "platform@demo.test")).id);
    expect(await platform.platform.setClinicPaused({ clinicId: clinic?.id ?? "", paused: false })).toEqual({ paused: false });
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.clinicId, clinic?.id ?? ""), eq(auditLog.action, "clinic.resume")));
    expect(entry?.actorKind).toBe("staff");
  });
});
