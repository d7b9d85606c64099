import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { recoveryCodes, twoFactorSecrets, users } from "@/db/schema";
import { DEMO_PASSWORD } from "@/server/demo/accounts";
import { createTestDb, itConcurrently } from "@/server/testing/db";
import { callerAs, userByEmail } from "@/server/testing/fixtures";
import { addMember } from "@/server/testing/team";
import { checkCredentials } from "./accounts";
import { checkSecondFactor, secondFactorMissing } from "./two-factor";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let clinicId: string;
let adminId: string;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  const admin = await userByEmail(db, "admin@demo.test");
  adminId = admin.id;
  clinicId = admin.clinicId ?? "";
});
afterAll(() => handle.drop());

const codeAt = (secret: string, at: Date) => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: at.getTime() });

/** A staff member with the authenticator app set up through the procedures a browser calls. */
async function enrolled() {
  const member = await addMember(db, { clinicId, adminId, role: "staff" });
  const caller = callerAs(db, member.userId);
  const { secret, uri, qrDataUrl } = await caller.security.startTwoFactor();
  expect(uri).toContain(`secret=${secret}`);
  expect(qrDataUrl).toMatch(/^data:image\/png;base64,/);
  // Enrolment is confirmed with the code of the previous step, so the test's "now" code is still unused.
  const { recoveryCodes: codes } = await caller.security.confirmTwoFactor({ code: codeAt(secret, new Date(Date.now() - 30_000)) });
  return { ...member, caller, secret, codes };
}

/** The sign-in sequence of the credentials provider: password first, then the second factor. */
async function signIn(email: string, password: string, code: string | null) {
  const credentials = await checkCredentials(db, { email, password });
  if (!credentials.ok) return credentials.reason;
  return checkSecondFactor(db, { userId: credentials.user.id, code });
}

describe("rule N6: two-factor sign-in (TOTP)", () => {
  it("is on only after a first code confirms the app, with ten recovery codes kept as hashes and the secret sealed", async () => {
    const member = await addMember(db, { clinicId, adminId, role: "staff" });
    const caller = callerAs(db, member.userId);
    const { secret } = await caller.security.startTwoFactor();
    expect(await signIn(member.email, "a-good-password-9", null)).toBe("not_enrolled");
    const wrong = await caller.security.confirmTwoFactor({ code: "000000" }).catch((e: unknown) => e);
    expect((wrong as TRPCError).code).toBe("BAD_REQUEST");
    expect((await caller.security.twoFactor()).enabled).toBe(false);

    const { recoveryCodes: codes } = await caller.security.confirmTwoFactor({ code: codeAt(secret, new Date()) });
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(await caller.security.twoFactor()).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    const [stored] = await db.select().from(twoFactorSecrets).where(eq(twoFactorSecrets.userId, member.userId));
    expect(stored?.secretSealed).not.toContain(secret);
    const hashes = (await db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, member.userId))).map((r) => r.codeHash);
    for (const code of codes) expect(hashes.join()).not.toContain(code.replace(/-/g, ""));
  });

  it("refuses sign-in without a code, or with a wrong one, and accepts a current code once", async () => {
    const { email, secret } = await enrolled();
    expect(await signIn(email, "a-good-password-9", null)).toBe("required");
    expect(await signIn(email, "a-good-password-9", "123456")).toBe("invalid");
    const now = codeAt(secret, new Date());
    expect(await signIn(email, "a-good-password-9", now)).toBe("ok");
    expect(await signIn(email, "a-good-password-9", now)).toBe("invalid");
    // A wrong password never gets as far as the second factor.
    expect(await signIn(email, "wrong-password-1", codeAt(secret, new Date()))).toBe("invalid_credentials");
  });

  it("accepts a recovery code once only", async () => {
    const { email, codes } = await enrolled();
    const [first = "", second = ""] = codes;
    expect(await signIn(email, "a-good-password-9", first.toUpperCase())).toBe("ok");
    expect(await signIn(email, "a-good-password-9", first)).toBe("invalid");
    expect(await signIn(email, "a-good-password-9", second.replace(/-/g, " "))).toBe("ok");
  });

  itConcurrently("spends a recovery code once under two concurrent uses", async () => {
    const { userId, codes } = await enrolled();
    const code = codes[0] ?? "";
    const results = await Promise.all([checkSecondFactor(db, { userId, code }), checkSecondFactor(db, { userId, code })]);
    expect(results.sort()).toEqual(["invalid", "ok"]);
  });

  itConcurrently("issue 19 item 9: twenty wrong codes at once get the five free tries and no more; every one is answered and counted once", async () => {
    const { userId, secret } = await enrolled();
    const now = Date.now();
    const current = new Set([-30_000, 0, 30_000].map((shift) => codeAt(secret, new Date(now + shift))));
    const wrong = ["000000", "111111", "222222", "333333"].find((code) => !current.has(code)) ?? "444444";
    const results = await Promise.all(Array.from({ length: 20 }, () => checkSecondFactor(db, { userId, code: wrong })));
    // The existing rule: five wrong codes are free, then each try waits and is not even looked at.
    expect(results.filter((r) => r === "invalid")).toHaveLength(5);
    expect(results.filter((r) => r === "throttled")).toHaveLength(15);
    const [row] = await db.select({ failedCodes: twoFactorSecrets.failedCodes }).from(twoFactorSecrets).where(eq(twoFactorSecrets.userId, userId));
    expect(row?.failedCodes).toBe(5);
  });

  it("slows down guessing after five wrong codes: a right code waits too, then works", async () => {
    const { userId, secret } = await enrolled();
    const now = new Date();
    for (let i = 0; i < 5; i++) expect(await checkSecondFactor(db, { userId, code: "000000" }, now)).toBe("invalid");
    expect(await checkSecondFactor(db, { userId, code: "000000" }, new Date(now.getTime() + 1_000))).toBe("throttled");
    const right = codeAt(secret, new Date(now.getTime() + 30_000));
    expect(await checkSecondFactor(db, { userId, code: right }, new Date(now.getTime() + 10_000))).toBe("throttled");
    expect(await checkSecondFactor(db, { userId, code: right }, new Date(now.getTime() + 31_000))).toBe("ok");
    // A right code clears the count: the next mistake is free again.
    expect(await checkSecondFactor(db, { userId, code: "000000" }, new Date(now.getTime() + 32_000))).toBe("invalid");
    expect(await checkSecondFactor(db, { userId, code: "000000" }, new Date(now.getTime() + 33_000))).toBe("invalid");
  });

  it("turns off only with the account's password", async () => {
    const { email, caller, secret } = await enrolled();
    const refused = await caller.security.disableTwoFactor({ password: "wrong-password-1" }).catch((e: unknown) => e);
    expect((refused as TRPCError).code).toBe("BAD_REQUEST");
    expect(await signIn(email, "a-good-password-9", null)).toBe("required");
    await caller.security.disableTwoFactor({ password: "a-good-password-9" });
    expect(await signIn(email, "a-good-password-9", null)).toBe("not_enrolled");
    expect(secret).toBeTruthy();
  });

  it("is not for patients", async () => {
    const patient = await userByEmail(db, "patient@demo.test");
    const error = await callerAs(db, patient.id).security.startTwoFactor().catch((e: unknown) => e);
    expect((error as TRPCError).code).toBe("FORBIDDEN");
  });

  it("demo accounts sign in with the password alone", async () => {
    for (const email of ["admin@demo.test", "staff@demo.test", "platform@demo.test", "admin@second.test"]) {
      expect(await signIn(email, DEMO_PASSWORD, null)).toBe("not_enrolled");
    }
  });
});

describe("rule N6: who must have a second factor", () => {
  it("a clinic that requires it stops its staff's console until they enrol", async () => {
    const member = await addMember(db, { clinicId, adminId, role: "staff" });
    const caller = callerAs(db, member.userId);
    const { userId: secondAdminId } = await addMember(db, { clinicId, adminId, role: "admin" });
    const admin = callerAs(db, secondAdminId);
    const refused = await admin.security.setStaffTwoFactor({ required: true }).catch((e: unknown) => e);
    expect((refused as TRPCError).code).toBe("PRECONDITION_FAILED");
    const own = await admin.security.startTwoFactor();
    await admin.security.confirmTwoFactor({ code: codeAt(own.secret, new Date()) });
    await admin.security.setStaffTwoFactor({ required: true });
    try {
      const blocked = await caller.clinic.patients({ search: "" }).catch((e: unknown) => e);
      expect((blocked as TRPCError).code).toBe("FORBIDDEN");
      // The account's own security procedures stay open, so they can enrol.
      expect((await caller.security.twoFactor()).mustEnrol).toBe(true);
      const { secret } = await caller.security.startTwoFactor();
      await caller.security.confirmTwoFactor({ code: codeAt(secret, new Date()) });
      await expect(caller.clinic.patients({ search: "" })).resolves.toBeDefined();
      // Demo accounts have no second factor and keep working (public contract).
      await expect(callerAs(db, (await userByEmail(db, "staff@demo.test")).id).clinic.patients({ search: "" })).resolves.toBeDefined();
    } finally {
      await admin.security.setStaffTwoFactor({ required: false });
    }
  });

  it("platform admins must enrol where the platform rule is on (production), demo accounts excepted", async () => {
    const platform = await userByEmail(db, "platform@demo.test");
    expect(platform.demoAccount).toBe(true);
    expect(await secondFactorMissing(db, platform.id, { platform: true })).toBe(false);
    await db.update(users).set({ demoAccount: false }).where(eq(users.id, platform.id));
    try {
      expect(await secondFactorMissing(db, platform.id, { platform: true })).toBe(true);
      expect(await secondFactorMissing(db, platform.id, { platform: false })).toBe(false);
    } finally {
      await db.update(users).set({ demoAccount: true }).where(eq(users.id, platform.id));
    }
  });

  it("only an admin sets the clinic's rule", async () => {
    const staff = await userByEmail(db, "staff@demo.test");
    const error = await callerAs(db, staff.id).security.setStaffTwoFactor({ required: true }).catch((e: unknown) => e);
    expect((error as TRPCError).code).toBe("FORBIDDEN");
  });
});
