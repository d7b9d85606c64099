import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { authSessions } from "@/db/schema";
import { DEMO_PASSWORD } from "@/server/demo/accounts";
import { createTestDb } from "@/server/testing/db";
import { callerAs, callerInSession, signUpPatient, userByEmail } from "@/server/testing/fixtures";
import { addMember } from "@/server/testing/team";
import { checkCredentials } from "./accounts";
import { activeSessions, checkSession, deviceLabel, openSession, SESSION_MAX_AGE_SECONDS } from "./sessions";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
});
afterAll(() => handle.drop());

/** A signed-in browser of the user: its own session row, as sign-in makes it. */
async function browser(userId: string, device = "Firefox on Linux") {
  const ref = { userId, sessionId: await openSession(db, { userId, device }) };
  return { ref, caller: callerInSession(db, async () => ref) };
}

const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => (error instanceof TRPCError ? error.code : error));

describe("rule N6: sessions end when they should", () => {
  it("a password change ends another browser's session on its next call, and keeps this one", async () => {
    const { userId, email } = await signUpPatient(db);
    const laptop = await browser(userId);
    const phone = await browser(userId, "Safari on iOS");
    expect(await refusal(phone.caller.portal.overview())).toBeNull();

    const changed = await laptop.caller.security.changePassword({ currentPassword: "a-good-password-9", newPassword: "a-newer-password-7" });
    expect(changed.otherSessionsEnded).toBe(1);
    expect(await refusal(phone.caller.portal.overview())).toBe("UNAUTHORIZED");
    expect(await refusal(laptop.caller.portal.overview())).toBeNull();
    expect((await checkCredentials(db, { email, password: "a-newer-password-7" })).ok).toBe(true);
    expect((await checkCredentials(db, { email, password: "a-good-password-9" })).ok).toBe(false);
  });

  it("refuses a password change without the right current password, and ends nothing", async () => {
    const { userId } = await signUpPatient(db);
    const laptop = await browser(userId);
    const phone = await browser(userId);
    const error = await laptop.caller.security.changePassword({ currentPassword: "not-my-password-1", newPassword: "a-newer-password-7" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    expect(await refusal(phone.caller.portal.overview())).toBeNull();
  });

  it("a disabled staff member's open console stops working at once, and stays signed out when re-enabled", async () => {
    const admin = await userByEmail(db, "admin@demo.test");
    const member = { id: (await addMember(db, { clinicId: admin.clinicId ?? "", adminId: admin.id, role: "staff" })).userId };
    const console_ = await browser(member.id);
    expect(await refusal(console_.caller.clinic.patients({ search: "" }))).toBeNull();

    await callerAs(db, admin.id).team.setDisabled({ userId: member.id, disabled: true, reason: "left the clinic" });
    expect(await refusal(console_.caller.clinic.patients({ search: "" }))).toBe("UNAUTHORIZED");
    await callerAs(db, admin.id).team.setDisabled({ userId: member.id, disabled: false, reason: "came back" });
    expect(await refusal(console_.caller.clinic.patients({ search: "" }))).toBe("UNAUTHORIZED");
  });

  it("a role change ends the member's sessions", async () => {
    const admin = await userByEmail(db, "admin@demo.test");
    const member = { id: (await addMember(db, { clinicId: admin.clinicId ?? "", adminId: admin.id, role: "staff" })).userId };
    const console_ = await browser(member.id);
    await callerAs(db, admin.id).team.setRole({ userId: member.id, role: "admin", reason: "promoted" });
    expect(await refusal(console_.caller.clinic.patients({ search: "" }))).toBe("UNAUTHORIZED");
  });

  it("sign out everywhere ends the other browsers and keeps this one; the list shows last use", async () => {
    const staff = await userByEmail(db, "staff@demo.test");
    const desk = await browser(staff.id, "Chrome on Windows");
    const home = await browser(staff.id, "Safari on macOS");
    const listed = await desk.caller.security.sessions();
    expect(listed.find((s) => s.current)?.device).toBe("Chrome on Windows");
    expect(listed.map((s) => s.id)).toContain(home.ref.sessionId);

    await desk.caller.security.signOutEverywhere();
    expect(await refusal(home.caller.clinic.patients({ search: "" }))).toBe("UNAUTHORIZED");
    expect(await refusal(desk.caller.clinic.patients({ search: "" }))).toBeNull();
    expect((await desk.caller.security.sessions()).map((s) => s.id)).toEqual([desk.ref.sessionId]);
  });

  it("refuses a token that names another account's session, or one that never existed", async () => {
    const staff = await userByEmail(db, "staff@demo.test");
    const patient = await userByEmail(db, "patient@demo.test");
    const { ref } = await browser(patient.id);
    expect(await checkSession(db, { userId: staff.id, sessionId: ref.sessionId })).toBe(false);
    const forged = callerInSession(db, async () => ({ userId: staff.id, sessionId: "00000000-0000-4000-8000-000000000000" }));
    expect(await refusal(forged.clinic.patients({ search: "" }))).toBe("UNAUTHORIZED");
  });

  it("refuses a session past its maximum age", async () => {
    const { userId } = await signUpPatient(db);
    const { ref } = await browser(userId);
    const later = new Date(Date.now() + (SESSION_MAX_AGE_SECONDS + 60) * 1000);
    expect(await checkSession(db, ref, later)).toBe(false);
  });

  it("writes last use at most once a minute", async () => {
    const { userId } = await signUpPatient(db);
    const { ref } = await browser(userId);
    const lastUse = async () => (await db.select().from(authSessions).where(eq(authSessions.id, ref.sessionId)))[0]?.lastUsedAt.getTime();
    const opened = (await lastUse()) ?? 0;
    expect(await checkSession(db, ref, new Date(opened + 30_000))).toBe(true);
    expect(await lastUse()).toBe(opened);
    expect(await checkSession(db, ref, new Date(opened + 61_000))).toBe(true);
    expect(await lastUse()).toBe(opened + 61_000);
    expect((await activeSessions(db, ref, new Date(opened + 62_000)))[0]?.lastUsedAt.getTime()).toBe(opened + 61_000);
  });

  it("labels devices coarsely", () => {
    expect(deviceLabel("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36")).toBe("Chrome on macOS");
    expect(deviceLabel("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1")).toBe("Safari on iOS");
    expect(deviceLabel(null)).toBe("A browser");
  });

  it("demo sign-ins keep working with the published password", async () => {
    expect((await checkCredentials(db, { email: "admin@demo.test", password: DEMO_PASSWORD })).ok).toBe(true);
  });
});
