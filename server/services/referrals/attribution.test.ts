import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { programs, programVersions, referralCodes, referrals, users } from "@/db/schema";
import { createTestDb } from "@/server/testing/db";
import { callerAs, clinicOf, codeOf, DEMO_SLUG, key, signUpPatient, userByEmail } from "@/server/testing/fixtures";
import { registerPatient } from "@/server/services/patients/sign-up";
import { attributionCookieName, attributionCookieValue, parseAttributionCookie } from "./referrals";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let referrer: Awaited<ReturnType<typeof userByEmail>>;
let referrerCode: string;
let windowDays: number;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  referrer = await userByEmail(db, "patient@demo.test");
  referrerCode = await codeOf(db, referrer.id);
  const clinic = await clinicOf(db, DEMO_SLUG);
  const [row] = await db
    .select({ days: programVersions.attributionWindowDays })
    .from(programs)
    .innerJoin(programVersions, eq(programVersions.id, programs.currentVersionId))
    .where(eq(programs.clinicId, clinic.id));
  windowDays = row?.days ?? 0;
});
afterAll(() => handle.drop());

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date("2026-06-15T12:00:00Z");

const form = (referralCode = "") => ({
  clinicSlug: DEMO_SLUG,
  firstName: "Noor",
  lastName: "Haddad",
  email: `noor-${key()}@example.com`,
  phone: "",
  password: "a-good-password-9",
  referralCode,
});

async function referralOf(email: string) {
  const [row] = await db.select({ referral: referrals }).from(referrals).innerJoin(users, eq(users.id, referrals.refereeId)).where(eq(users.email, email));
  return row?.referral;
}

/** Signs up at a moment we choose, with the attribution cookie the landing would have set. */
async function signUpWith(input: ReturnType<typeof form>, cookie: string | null, now = NOW) {
  return registerPatient({ db }, { ...input, attributionCode: cookie, fingerprint: { ipHash: null, deviceHash: null }, now });
}

describe("rule P5: the attribution cookie alone links the sign-up (issue 7 item 25)", () => {
  it("links a sign-up that carries only the cookie, as coming from the link", async () => {
    const input = form();
    const cookie = attributionCookieValue(referrerCode, new Date(NOW.getTime() - DAY));
    const result = await signUpWith(input, cookie);
    expect(result).toMatchObject({ created: true, referralId: expect.any(String) });
    expect(await referralOf(input.email)).toMatchObject({ referrerId: referrer.id, source: "link", status: "signed_up" });
  });

  it("links through the tRPC sign-up too, where the cookie arrives with the request", async () => {
    const input = form();
    const cookies = { [attributionCookieName(DEMO_SLUG)]: attributionCookieValue(referrerCode, new Date()) };
    await callerAs(db, null, cookies).account.signUp(input);
    expect(await referralOf(input.email)).toMatchObject({ referrerId: referrer.id, source: "link" });
  });

  it("still links a typed code without any cookie, as typed", async () => {
    const input = form(referrerCode.toLowerCase());
    await signUpWith(input, null);
    expect(await referralOf(input.email)).toMatchObject({ referrerId: referrer.id, source: "typed_code" });
  });

  it("lets a typed code win over a cookie naming someone else", async () => {
    const other = await signUpPatient(db);
    const otherCode = await codeOf(db, other.userId);
    const input = form(otherCode);
    await signUpWith(input, attributionCookieValue(referrerCode, new Date(NOW.getTime() - DAY)));
    expect(await referralOf(input.email)).toMatchObject({ referrerId: other.userId, source: "typed_code" });
  });

  it("counts the cookie up to the last instant of the attribution window, and not after (rule P4)", async () => {
    expect(windowDays).toBeGreaterThan(0);
    const openedAt = new Date(NOW.getTime() - windowDays * DAY);
    const inside = form();
    await signUpWith(inside, attributionCookieValue(referrerCode, openedAt), new Date(openedAt.getTime() + windowDays * DAY - 1000));
    expect(await referralOf(inside.email)).toMatchObject({ referrerId: referrer.id, source: "link" });

    const outside = form();
    const result = await signUpWith(outside, attributionCookieValue(referrerCode, openedAt), new Date(openedAt.getTime() + windowDays * DAY));
    expect(result).toMatchObject({ referralId: null, notice: null });
    expect(await referralOf(outside.email)).toBeUndefined();
  });

  it("links an expired cookie's code only when the person typed it, and then as typed", async () => {
    const input = form(referrerCode);
    await signUpWith(input, attributionCookieValue(referrerCode, new Date(NOW.getTime() - (windowDays + 1) * DAY)));
    expect(await referralOf(input.email)).toMatchObject({ referrerId: referrer.id, source: "typed_code" });
  });

  it("makes the account without a referral, and without an error, for a cookie whose code was rotated or never existed", async () => {
    const { userId } = await signUpPatient(db);
    const old = await codeOf(db, userId);
    await db.update(referralCodes).set({ rotatedAt: new Date() }).where(eq(referralCodes.code, old));
    for (const cookie of [attributionCookieValue(old, NOW), attributionCookieValue("ACDEFGHJKM", NOW), "garbage;value"]) {
      const input = form();
      expect(await signUpWith(input, cookie)).toMatchObject({ referralId: null, notice: null });
      expect(await referralOf(input.email)).toBeUndefined();
    }
  });

  it("reads cookies set before the opening time was recorded (the code alone)", () => {
    expect(parseAttributionCookie(referrerCode)).toEqual({ code: referrerCode, openedAt: null });
    expect(parseAttributionCookie(`${referrerCode}.1781524800`)).toEqual({ code: referrerCode, openedAt: new Date(1781524800 * 1000) });
    expect(parseAttributionCookie("")).toBeNull();
    expect(parseAttributionCookie("A\u0000BCDEF")).toBeNull();
  });
});
