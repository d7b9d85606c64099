import { and, count, eq } from "drizzle-orm";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { accountTokens, auditLog, baaAcceptances, clinics, invitations, outboxMessages, programs, programVersions, users } from "@/db/schema";
import { verifyEmail } from "@/server/auth/account-links";
import { deliverableBody } from "@/server/messaging/store";
import { BAA_VERSION } from "@/server/schemas/baa";
import type { StartProgramInput } from "@/server/schemas/clinic-onboarding";
import { createTestDb } from "@/server/testing/db";
import { callerAs, DEMO_SLUG, clinicOf, key, userByEmail } from "@/server/testing/fixtures";
import { acceptInvitation, invitationByToken } from "./invitations";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
});
afterAll(() => handle.drop());

const slug = () => `baa-${key().slice(5, 13).toLowerCase()}`;
const stranger = () => callerAs(db, null, {}, { ipHash: key(), deviceHash: null });
const platform = async () => callerAs(db, (await userByEmail(db, "platform@demo.test")).id);

function form(overrides: Partial<StartProgramInput> = {}): StartProgramInput {
  return {
    practiceName: "Aspen Dental Care",
    slug: slug(),
    timeZone: "America/Denver",
    firstName: "Ada",
    lastName: "Lindqvist",
    email: `ada-${key()}@aspen.example`,
    password: "aspen-smiles-42",
    termsAccepted: true,
    baaAccepted: true,
    ...overrides,
  };
}

async function footprint() {
  const [[c], [u], [p], [v], [o], [a], [t], [b]] = await Promise.all([
    db.select({ n: count() }).from(clinics),
    db.select({ n: count() }).from(users),
    db.select({ n: count() }).from(programs),
    db.select({ n: count() }).from(programVersions),
    db.select({ n: count() }).from(outboxMessages),
    db.select({ n: count() }).from(auditLog),
    db.select({ n: count() }).from(accountTokens),
    db.select({ n: count() }).from(baaAcceptances),
  ]);
  return { clinics: c?.n, users: u?.n, programs: p?.n, versions: v?.n, messages: o?.n, audit: a?.n, tokens: t?.n, acceptances: b?.n };
}

/** A platform-added clinic whose first admin exists with a confirmed address but never accepted the BAA (one made before it existed). */
async function clinicWithoutBaa() {
  const email = `owner-${key()}@nobaa.example`;
  const { clinicId } = await (await platform()).platform.createClinic({ name: "Birch Physio", slug: slug(), timeZone: "America/Chicago", adminEmail: email });
  const [admin] = await db.insert(users).values({ clinicId, role: "admin", email, emailNormalized: email, firstName: "Bea", lastName: "Okoro", emailVerifiedAt: new Date() }).returning({ id: users.id });
  if (!admin) throw new Error("no admin");
  return { clinicId, adminId: admin.id };
}

/** The token of the invitation mailed to this address, as the mailbox would read it. */
async function invitationToken(email: string): Promise<string> {
  const [mail] = await db.select().from(outboxMessages).where(and(eq(outboxMessages.to, email), eq(outboxMessages.kind, "team.invitation")));
  const token = mail ? /\/invite\/([\w-]+)/.exec(deliverableBody(mail))?.[1] : undefined;
  if (!token) throw new Error(`no invitation mailed to ${email}`);
  return token;
}

/** The admin opens the verification link mailed to them (issue 19: only that confirms an address). */
async function confirmByEmail(email: string): Promise<void> {
  const [mail] = await db.select().from(outboxMessages).where(and(eq(outboxMessages.to, email), eq(outboxMessages.kind, "account.verify_email")));
  const token = mail ? /\/verify\/([\w-]+)/.exec(deliverableBody(mail))?.[1] : undefined;
  if (!token || !(await verifyEmail(db, token))) throw new Error(`no working verification link was mailed to ${email}`);
}

describe("issue 19: a practice accepts the platform's BAA at /start-a-program", () => {
  it("a sign-up without accepting it is refused with a clear message, and nothing is created", async () => {
    const before = await footprint();
    const input = form({ baaAccepted: false });
    const refused = await stranger().onboarding.startProgram(input).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe("BAD_REQUEST");
    expect((refused as TRPCError).message).toMatch(/Accept the Business Associate Agreement/);
    const missing = await stranger()
      .onboarding.startProgram({ ...form(), baaAccepted: undefined } as unknown as StartProgramInput)
      .catch((e: unknown) => e);
    expect((missing as TRPCError).code).toBe("BAD_REQUEST");
    expect(await footprint()).toEqual(before);
    expect(await db.select().from(clinics).where(eq(clinics.slug, input.slug))).toEqual([]);
  });

  it("the acceptance records the signer's name, the time and the version in force, audited", async () => {
    const input = form();
    const started = Date.now();
    await stranger().onboarding.startProgram(input);
    const [clinic] = await db.select().from(clinics).where(eq(clinics.slug, input.slug));
    const [admin] = await db.select().from(users).where(eq(users.email, input.email));
    const rows = await db.select().from(baaAcceptances).where(eq(baaAcceptances.clinicId, clinic?.id ?? ""));
    expect(rows).toEqual([expect.objectContaining({ userId: admin?.id, signerName: "Ada Lindqvist", version: BAA_VERSION })]);
    expect(rows[0]?.acceptedAt.getTime()).toBeGreaterThanOrEqual(started - 5_000);
    expect(rows[0]?.acceptedAt.getTime()).toBeLessThanOrEqual(Date.now() + 5_000);
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.clinicId, clinic?.id ?? ""), eq(auditLog.action, "clinic.baa_accept")));
    expect(entry).toMatchObject({ actorId: admin?.id, after: expect.objectContaining({ version: BAA_VERSION, signerName: "Ada Lindqvist" }) });
    const desk = callerAs(db, admin?.id ?? "");
    expect(await desk.clinic.baa()).toEqual({ version: BAA_VERSION, accepted: { signerName: "Ada Lindqvist", acceptedAt: rows[0]?.acceptedAt, version: BAA_VERSION } });
    expect((await desk.dashboard.checklist()).find((s) => s.id === "agreement")?.done).toBe(true);
  });
});

describe("issue 19: a clinic that has not accepted the BAA in force cannot go live", () => {
  it("turning the program on is refused, naming the BAA, until an admin accepts it in the console", async () => {
    const { clinicId, adminId } = await clinicWithoutBaa();
    const admin = callerAs(db, adminId);
    const program = await admin.clinic.program();
    const steps = await admin.dashboard.checklist();
    expect(steps.find((s) => s.id === "agreement")).toEqual({ id: "agreement", done: false, waitingFor: null });
    expect(steps.find((s) => s.id === "live")).toEqual({ id: "live", done: false, waitingFor: "agreement" });

    const refused = await admin.clinic.updateProgram({ ...program, enabled: true }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe("PRECONDITION_FAILED");
    expect((refused as TRPCError).message).toMatch(/has not accepted the Business Associate Agreement/);
    expect((await admin.clinic.program()).enabled).toBe(false);
    // Nobody else can sign for the clinic: the platform's resume is refused the same way.
    await expect((await platform()).platform.setClinicPaused({ clinicId, paused: false })).rejects.toThrow(/Business Associate Agreement/);
    expect((await admin.clinic.program()).enabled).toBe(false);
    // Staff cannot accept for the clinic, and a version nobody read is refused.
    const [staff] = await db.insert(users).values({ clinicId, role: "staff", email: `s-${key()}@nobaa.example`, emailNormalized: `s-${key()}`, firstName: "Sam", lastName: "Staff" }).returning({ id: users.id });
    await expect(callerAs(db, staff?.id ?? "").clinic.acceptBaa({ version: BAA_VERSION, accepted: true })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(admin.clinic.acceptBaa({ version: "2020-01-01", accepted: true })).rejects.toThrow(/updated \(version/);
    await expect(admin.clinic.acceptBaa({ version: BAA_VERSION, accepted: false })).rejects.toThrow(/Accept the Business Associate Agreement/);
    expect(await db.select().from(baaAcceptances).where(eq(baaAcceptances.clinicId, clinicId))).toEqual([]);

    const accepted = await admin.clinic.acceptBaa({ version: BAA_VERSION, accepted: true });
    expect(accepted.accepted).toMatchObject({ signerName: "Bea Okoro", version: BAA_VERSION });
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.clinicId, clinicId), eq(auditLog.action, "clinic.baa_accept")));
    expect(entry?.actorId).toBe(adminId);
    expect((await admin.clinic.updateProgram({ ...program, enabled: true })).enabled).toBe(true);
    expect((await admin.dashboard.checklist()).filter((s) => ["agreement", "live"].includes(s.id)).every((s) => s.done)).toBe(true);
  });

  it("the demo clinics accepted it, so the demo stays live", async () => {
    const demo = await clinicOf(db, DEMO_SLUG);
    expect(await db.select({ version: baaAcceptances.version }).from(baaAcceptances).where(eq(baaAcceptances.clinicId, demo.id))).toEqual([{ version: BAA_VERSION }]);
  });
});

describe("issue 19: the admin of a platform-added clinic accepts the BAA with their invitation", () => {
  it("only an admin joining a clinic without the BAA in force is asked; refused without it, recorded with it", async () => {
    const adminEmail = `owner-${key()}@invited.example`;
    const { clinicId } = await (await platform()).platform.createClinic({ name: "Cedar Ortho", slug: slug(), timeZone: "America/Chicago", adminEmail });
    const token = await invitationToken(adminEmail);
    expect(await invitationByToken({ db }, { token })).toMatchObject({ role: "admin", baaRequired: true });

    const person = { token, firstName: "Ina", lastName: "Vited", password: "invited-pass-77" };
    const refused = await callerAs(db, null).team.acceptInvitation(person).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe("PRECONDITION_FAILED");
    expect((refused as TRPCError).message).toMatch(/Accept the Business Associate Agreement to join/);
    expect(await db.select().from(users).where(eq(users.email, adminEmail))).toEqual([]);
    expect((await db.select().from(invitations).where(eq(invitations.clinicId, clinicId)))[0]?.acceptedAt).toBeNull();

    const { userId } = await acceptInvitation({ db }, { ...person, baaAccepted: true });
    const [row] = await db.select().from(baaAcceptances).where(eq(baaAcceptances.clinicId, clinicId));
    expect(row).toMatchObject({ userId, signerName: "Ina Vited", version: BAA_VERSION });
    expect(row?.acceptedAt).toBeInstanceOf(Date);

    // Once accepted (and the admin's address confirmed), a second admin and any staff join without being asked.
    await confirmByEmail(adminEmail);
    const admin = callerAs(db, userId);
    const [second, staff] = [`second-${key()}@invited.example`, `staff-${key()}@invited.example`];
    await admin.team.invite({ email: second, role: "admin" });
    await admin.team.invite({ email: staff, role: "staff" });
    for (const email of [second, staff]) expect((await invitationByToken({ db }, { token: await invitationToken(email) }))?.baaRequired).toBe(false);
    await acceptInvitation({ db }, { token: await invitationToken(second), firstName: "Sec", lastName: "Ond", password: "second-pass-777" });
    expect(await db.select().from(baaAcceptances).where(eq(baaAcceptances.clinicId, clinicId))).toHaveLength(1);
  });
});
