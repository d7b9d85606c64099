import { and, eq } from "drizzle-orm";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { auditLog, clinics, invitations, outboxMessages, programs, users } from "@/db/schema";
import { BAA_VERSION } from "@/server/schemas/baa";
import { createTestDb, itConcurrently } from "@/server/testing/db";
import { callerAs, key, userByEmail } from "@/server/testing/fixtures";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let platformId: string;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  platformId = (await userByEmail(db, "platform@demo.test")).id;
});
afterAll(() => handle.drop());

const slug = () => `clinic-${key().slice(5, 13).toLowerCase()}`;

describe("issue 13: a platform admin adds a clinic", () => {
  it("answers { clinicId }: the clinic in its zone, its program paused with the default terms, its admin invited by email, audited", async () => {
    const adminEmail = `owner-${key()}@newclinic.example`;
    const { clinicId } = await callerAs(db, platformId).platform.createClinic({ name: "Cedar Family Dental", slug: slug(), timeZone: "america/chicago", adminEmail });
    const [clinic] = await db.select().from(clinics).where(eq(clinics.id, clinicId));
    expect(clinic).toMatchObject({ name: "Cedar Family Dental", timeZone: "America/Chicago" });
    const [program] = await db.select().from(programs).where(eq(programs.clinicId, clinicId));
    expect(program?.enabled).toBe(false);
    expect(program?.currentVersionId).not.toBeNull();
    const [invitation] = await db.select().from(invitations).where(eq(invitations.clinicId, clinicId));
    expect(invitation).toMatchObject({ email: adminEmail, role: "admin", invitedById: platformId });
    const [mail] = await db.select().from(outboxMessages).where(and(eq(outboxMessages.to, adminEmail), eq(outboxMessages.kind, "team.invitation")));
    expect(mail?.subject).toContain("Cedar Family Dental");
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.clinicId, clinicId), eq(auditLog.action, "clinic.create")));
    expect(entry).toMatchObject({ actorId: platformId, actorKind: "staff" });
  });

  it("a taken address answers CONFLICT and adds nothing; a bad one gets its field's message", async () => {
    const platform = callerAs(db, platformId).platform;
    const taken = await platform.createClinic({ name: "First", slug: "maple-street", timeZone: "America/New_York", adminEmail: `a-${key()}@x.example` }).catch((e: unknown) => e);
    expect(taken).toBeInstanceOf(TRPCError);
    expect((taken as TRPCError).code).toBe("CONFLICT");
    await expect(platform.createClinic({ name: "Bad", slug: "Not A Slug!", timeZone: "America/New_York", adminEmail: `b-${key()}@x.example` })).rejects.toThrow(/lower-case letters/);
    await expect(platform.createClinic({ name: "Bad zone", slug: slug(), timeZone: "Mars/Olympus", adminEmail: `c-${key()}@x.example` })).rejects.toThrow(/not a time zone we know/);
    expect(await db.select().from(clinics).where(eq(clinics.name, "Bad zone"))).toEqual([]);
  });

  itConcurrently("two platform admins racing for one address make one clinic", async () => {
    const contested = slug();
    const results = await Promise.allSettled(
      [1, 2, 3].map((n) => callerAs(db, platformId).platform.createClinic({ name: `Race ${n}`, slug: contested, timeZone: "America/New_York", adminEmail: `race-${n}-${key()}@x.example` })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db.select().from(clinics).where(eq(clinics.slug, contested))).toHaveLength(1);
  });

  it("rule P1: a platform admin pauses a clinic's program and resumes it, audited", async () => {
    const platform = callerAs(db, platformId).platform;
    const { clinicId } = await platform.createClinic({ name: "Pause Me", slug: slug(), timeZone: "America/New_York", adminEmail: `p-${key()}@x.example` });
    // Issue 19: the clinic's admin accepted the BAA; nobody else can sign for it (baa.test.ts).
    const [admin] = await db.insert(users).values({ clinicId, role: "admin", email: `pa-${key()}@x.example`, emailNormalized: `pa-${key()}`, firstName: "Pat", lastName: "Oz" }).returning({ id: users.id });
    await callerAs(db, admin?.id ?? "").clinic.acceptBaa({ version: BAA_VERSION, accepted: true });
    expect(await platform.setClinicPaused({ clinicId, paused: false })).toEqual({ paused: false });
    expect((await platform.clinics()).find((c) => c.id === clinicId)?.programEnabled).toBe(true);
    expect(await platform.setClinicPaused({ clinicId, paused: true })).toEqual({ paused: true });
    expect((await platform.clinics()).find((c) => c.id === clinicId)?.programEnabled).toBe(false);
    const actions = (await db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.clinicId, clinicId))).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["clinic.resume", "clinic.pause"]));
    await expect(platform.setClinicPaused({ clinicId: "00000000-0000-4000-8000-000000000000", paused: true })).rejects.toThrow("That clinic was not found.");
  });

  it("a clinic admin cannot add a clinic", async () => {
    const admin = callerAs(db, (await userByEmail(db, "admin@demo.test")).id);
    await expect(admin.platform.createClinic({ name: "Nope", slug: slug(), timeZone: "America/New_York", adminEmail: `n-${key()}@x.example` })).rejects.toThrow(/does not have access/);
  });
});
