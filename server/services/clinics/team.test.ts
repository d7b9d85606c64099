import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { auditLog, invitations, users } from "@/db/schema";
import { createTestDb, itConcurrently } from "@/server/testing/db";
import { callerAs, clinicOf, DEMO_SLUG, userByEmail } from "@/server/testing/fixtures";
import { addMember, tokenOf } from "@/server/testing/team";
import { checkCredentials } from "@/server/auth/accounts";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let clinicId: string;
let adminId: string;
let staffId: string;
beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  clinicId = (await clinicOf(db, DEMO_SLUG)).id;
  adminId = (await userByEmail(db, "admin@demo.test")).id;
  staffId = (await userByEmail(db, "staff@demo.test")).id;
});
afterAll(() => handle.drop());

const reason = "Team change for the test";
const codeOf = (error: unknown) => (error instanceof TRPCError ? error.code : String(error));
const auditOf = (targetId: string) => db.select().from(auditLog).where(eq(auditLog.targetId, targetId)).orderBy(auditLog.createdAt);

describe("rule C5: role changes and disabling apply on the member's next call", () => {
  it("a staff member made admin reaches admin procedures at once, and loses them when demoted", async () => {
    const { userId } = await addMember(db, { clinicId, adminId, role: "staff" });
    const member = callerAs(db, userId);
    expect(codeOf(await member.team.list().catch((e: unknown) => e))).toBe("FORBIDDEN");
    await callerAs(db, adminId).team.setRole({ userId, role: "admin", reason });
    // Rule N6: the role change ended the member's session; signed in again, they have the new role.
    expect(codeOf(await member.team.list().catch((e: unknown) => e))).toBe("UNAUTHORIZED");
    const promoted = callerAs(db, userId);
    expect((await promoted.team.list()).members.some((m) => m.id === userId && m.role === "admin")).toBe(true);
    await callerAs(db, adminId).team.setRole({ userId, role: "staff", reason });
    expect(codeOf(await promoted.team.list().catch((e: unknown) => e))).toBe("UNAUTHORIZED");
    expect(codeOf(await callerAs(db, userId).team.list().catch((e: unknown) => e))).toBe("FORBIDDEN");
    const audit = await auditOf(userId);
    expect(audit.map((a) => [a.action, a.before, a.after, a.reason])).toEqual([
      ["team.role_change", { role: "staff" }, { role: "admin" }, reason],
      ["team.role_change", { role: "admin" }, { role: "staff" }, reason],
    ]);
  });

  it("a disabled staff member's next call is refused, and sign-in too; enabling restores both", async () => {
    const { userId, email } = await addMember(db, { clinicId, adminId, role: "staff" });
    const member = callerAs(db, userId);
    await member.clinic.profile();
    await callerAs(db, adminId).team.setDisabled({ userId, disabled: true, reason: "Left the practice" });
    expect(codeOf(await member.clinic.profile().catch((e: unknown) => e))).toBe("UNAUTHORIZED");
    expect(await checkCredentials(db, { email, password: "a-good-password-9" })).toEqual({ ok: false, reason: "disabled" });
    await callerAs(db, adminId).team.setDisabled({ userId, disabled: false, reason: "Came back" });
    // Rule N6: the session that was open when they were disabled stays ended; a new sign-in works.
    expect(codeOf(await member.clinic.profile().catch((e: unknown) => e))).toBe("UNAUTHORIZED");
    expect((await checkCredentials(db, { email, password: "a-good-password-9" })).ok).toBe(true);
    await callerAs(db, userId).clinic.profile();
    expect((await auditOf(userId)).map((a) => [a.action, a.reason])).toEqual([
      ["team.disable", "Left the practice"],
      ["team.enable", "Came back"],
    ]);
  });

  it("an admin cannot disable or demote themself", async () => {
    const admin = callerAs(db, adminId);
    await expect(admin.team.setDisabled({ userId: adminId, disabled: true, reason })).rejects.toThrow("You can't disable your own account");
    await expect(admin.team.setRole({ userId: adminId, role: "staff", reason })).rejects.toThrow("You can't remove your own admin role");
    const [me] = await db.select().from(users).where(eq(users.id, adminId));
    expect([me?.role, me?.disabledAt]).toEqual(["admin", null]);
  });

  it("changes need a reason, and only reach the clinic's own staff (never patients)", async () => {
    const admin = callerAs(db, adminId);
    await expect(admin.team.setRole({ userId: staffId, role: "admin", reason: "" })).rejects.toThrow("Say briefly why");
    const patient = await userByEmail(db, "patient@demo.test");
    await expect(admin.team.setRole({ userId: patient.id, role: "admin", reason })).rejects.toThrow("No such team member");
    expect((await userByEmail(db, "patient@demo.test")).role).toBe("patient");
  });
});

describe("rule C5: the clinic always keeps an active admin", () => {
  itConcurrently("two admins demoting each other at the same moment leave one admin", async () => {
    for (let round = 0; round < 3; round++) {
      const a = await addMember(db, { clinicId, adminId, role: "admin" });
      const b = await addMember(db, { clinicId, adminId, role: "admin" });
      // The seeded admin steps out of the way, so a and b are the only active admins.
      await callerAs(db, a.userId).team.setDisabled({ userId: adminId, disabled: true, reason });
      const results = await Promise.allSettled([
        callerAs(db, a.userId).team.setRole({ userId: b.userId, role: "staff", reason }),
        callerAs(db, b.userId).team.setRole({ userId: a.userId, role: "staff", reason }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const admins = await db.select().from(users).where(and(eq(users.clinicId, clinicId), eq(users.role, "admin")));
      expect(admins.filter((u) => !u.disabledAt)).toHaveLength(1);
      const survivor = admins.find((u) => !u.disabledAt);
      await callerAs(db, survivor?.id ?? null).team.setDisabled({ userId: adminId, disabled: false, reason });
      await callerAs(db, adminId).team.setDisabled({ userId: survivor?.id ?? "", disabled: true, reason });
    }
  });

  itConcurrently("two admins disabling each other at the same moment leave one active admin", async () => {
    const a = await addMember(db, { clinicId, adminId, role: "admin" });
    const b = await addMember(db, { clinicId, adminId, role: "admin" });
    await callerAs(db, a.userId).team.setDisabled({ userId: adminId, disabled: true, reason });
    const results = await Promise.allSettled([
      callerAs(db, a.userId).team.setDisabled({ userId: b.userId, disabled: true, reason }),
      callerAs(db, b.userId).team.setDisabled({ userId: a.userId, disabled: true, reason }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const active = await db.select().from(users).where(and(eq(users.clinicId, clinicId), eq(users.role, "admin")));
    expect(active.filter((u) => !u.disabledAt)).toHaveLength(1);
    const survivor = active.find((u) => !u.disabledAt);
    await callerAs(db, survivor?.id ?? null).team.setDisabled({ userId: adminId, disabled: false, reason });
  });
});

describe("rules C4 and C5: invitations", () => {
  it("an invitation makes one account, and its link works once", async () => {
    const email = "once@example.com";
    const { path } = await callerAs(db, adminId).team.invite({ email, role: "staff" });
    const anonymous = callerAs(db, null);
    const accept = () => anonymous.team.acceptInvitation({ token: tokenOf(path), firstName: "Pat", lastName: "Lee", password: "a-good-password-9" });
    await accept();
    await expect(accept()).rejects.toThrow("already been used");
    expect((await db.select().from(users).where(eq(users.email, email))).map((u) => [u.role, u.clinicId])).toEqual([["staff", clinicId]]);
  });

  itConcurrently("an invitation makes one account, whatever arrives how often at once", async () => {
    const email = "twice@example.com";
    const { path, invitationId } = await callerAs(db, adminId).team.invite({ email, role: "staff" });
    const token = tokenOf(path);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [stored] = await db.select().from(invitations).where(eq(invitations.id, invitationId));
    expect(JSON.stringify(stored)).not.toContain(token);

    const anonymous = callerAs(db, null);
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => anonymous.team.acceptInvitation({ token, firstName: "Pat", lastName: "Lee", password: "a-good-password-9" })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(String(r.reason)).toMatch(/already been used|already exists/);
    const created = await db.select().from(users).where(eq(users.email, email));
    expect(created.map((u) => [u.role, u.clinicId])).toEqual([["staff", clinicId]]);
    await expect(anonymous.team.acceptInvitation({ token, firstName: "Pat", lastName: "Lee", password: "a-good-password-9" })).rejects.toThrow("already been used");
    expect((await auditOf(invitationId)).map((a) => a.action)).toEqual(["team.invite", "team.invitation_accept"]);
  });

  it("an expired link is refused and creates nothing", async () => {
    const email = "late@example.com";
    const { path, invitationId } = await callerAs(db, adminId).team.invite({ email, role: "staff" });
    await db.update(invitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invitations.id, invitationId));
    await expect(
      callerAs(db, null).team.acceptInvitation({ token: tokenOf(path), firstName: "Al", lastName: "Ng", password: "a-good-password-9" }),
    ).rejects.toThrow("This invitation has expired");
    expect(await db.select().from(users).where(eq(users.email, email))).toEqual([]);
  });

  it("a revoked link, and a link replaced by a newer invitation, are refused", async () => {
    const admin = callerAs(db, adminId);
    const first = await admin.team.invite({ email: "again@example.com", role: "staff" });
    const second = await admin.team.invite({ email: "again@example.com", role: "admin" });
    const accept = (path: string) => callerAs(db, null).team.acceptInvitation({ token: tokenOf(path), firstName: "Jo", lastName: "Ng", password: "a-good-password-9" });
    await expect(accept(first.path)).rejects.toThrow("withdrawn");
    await admin.team.revokeInvitation({ invitationId: second.invitationId, reason: "Sent to the wrong person" });
    await expect(accept(second.path)).rejects.toThrow("withdrawn");
    await expect(admin.team.revokeInvitation({ invitationId: second.invitationId })).rejects.toThrow("already revoked");
    const [revoke] = (await auditOf(second.invitationId)).filter((a) => a.action === "team.invitation_revoke");
    expect(revoke?.reason).toBe("Sent to the wrong person");
    expect((await admin.team.list()).invitations.map((i) => i.email)).not.toContain("again@example.com");
  });

  it("an address that already has an account cannot be invited; a made-up token finds nothing", async () => {
    await expect(callerAs(db, adminId).team.invite({ email: "patient@demo.test", role: "staff" })).rejects.toThrow("already has an account");
    await expect(
      callerAs(db, null).team.acceptInvitation({ token: "A".repeat(43), firstName: "Jo", lastName: "Ng", password: "a-good-password-9" }),
    ).rejects.toThrow("couldn't find this invitation");
  });

  it("rule C4: team audit entries cannot be edited or deleted", async () => {
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, "team.invite")).limit(1);
    if (!entry) throw new Error("no team audit entry");
    await expect(db.update(auditLog).set({ reason: "rewritten" }).where(eq(auditLog.id, entry.id))).rejects.toThrow();
    await expect(db.delete(auditLog).where(eq(auditLog.id, entry.id))).rejects.toThrow();
  });
});
