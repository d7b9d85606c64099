import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { activityEvents, programs, referralCodes, referrals, users } from "@/db/schema";
import { createTestDb } from "@/server/testing/db";
import { clinicOf, codeOf, DEMO_SLUG, signUpPatient, userByEmail } from "@/server/testing/fixtures";
import { registerPatient } from "@/server/services/patients/sign-up";
import { clickFromRequest } from "@/server/http/clicks";
import { LANDING_CACHE_MAX_MS, LandingCache } from "./landing-cache";
import { attributionCookieValue, openReferralLink } from "./referrals";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
});
afterAll(() => handle.drop());

const details = (tag = randomUUID()) => clickFromRequest(new URL(`http://localhost/r/x?utm_campaign=${tag}`), new Headers(), "s");

async function setEnabled(enabled: boolean) {
  const clinic = await clinicOf(db, DEMO_SLUG);
  await db.update(programs).set({ enabled }).where(eq(programs.clinicId, clinic.id));
}

describe("the landing cache never outlives 5 s, and correctness never depends on it", () => {
  it("refuses a time to live past 5 s", () => {
    expect(() => new LandingCache(LANDING_CACHE_MAX_MS + 1)).toThrow();
  });

  it("a cached landing still records every click", async () => {
    const code = await codeOf(db, (await userByEmail(db, "patient@demo.test")).id);
    const cache = new LandingCache();
    const tags = [randomUUID(), randomUUID(), randomUUID()];
    for (const tag of tags) expect((await openReferralLink({ db }, { code, click: details(tag), cache })).kind).toBe("active");
    for (const tag of tags) {
      const rows = await db.select().from(activityEvents).where(and(eq(activityEvents.type, "click"), eq(activityEvents.utmCampaign, tag)));
      expect(rows).toHaveLength(1);
    }
  });

  it("an entry counts from before its query: at the TTL it is asked again, whatever the clock did meanwhile", async () => {
    const code = await codeOf(db, (await userByEmail(db, "patient@demo.test")).id);
    const cache = new LandingCache();
    let loads = 0;
    const load = async () => {
      loads += 1;
      return { landing: { kind: "unknown" as const }, referrerId: null };
    };
    await cache.get(code, load, 1_000);
    await cache.get(code, load, 1_000 + LANDING_CACHE_MAX_MS - 1);
    expect(loads).toBe(1);
    await cache.get(code, load, 1_000 + LANDING_CACHE_MAX_MS);
    expect(loads).toBe(2);
  });

  it("rule P1: a paused program shows once the cached answer is 5 s old, and its clicks stop being recorded", async () => {
    const code = await codeOf(db, (await userByEmail(db, "patient@demo.test")).id);
    const cache = new LandingCache();
    // The cache's clock, not the test's waiting, decides: no timing in the assertion.
    const openedAt = Date.now();
    const clock = vi.spyOn(Date, "now").mockReturnValue(openedAt);
    try {
      expect((await openReferralLink({ db }, { code, click: details(), cache })).kind).toBe("active");
      await setEnabled(false);
      clock.mockReturnValue(openedAt + LANDING_CACHE_MAX_MS - 1);
      expect((await openReferralLink({ db }, { code, click: details(), cache })).kind).toBe("active");
      clock.mockReturnValue(openedAt + LANDING_CACHE_MAX_MS);
      expect((await openReferralLink({ db }, { code, click: details(), cache })).kind).toBe("paused");
      const tag = randomUUID();
      await openReferralLink({ db }, { code, click: details(tag), cache });
      expect(await db.select().from(activityEvents).where(eq(activityEvents.utmCampaign, tag))).toHaveLength(0);
    } finally {
      clock.mockRestore();
      await setEnabled(true);
    }
  });

  it("rule P2: a rotated code stops attributing at sign-up at once, though the cache still shows its page", async () => {
    const { userId } = await signUpPatient(db);
    const code = await codeOf(db, userId);
    const cache = new LandingCache();
    expect((await openReferralLink({ db }, { code, click: details(), cache })).kind).toBe("active");
    const cookie = attributionCookieValue(code, new Date());
    await db.update(referralCodes).set({ rotatedAt: new Date() }).where(eq(referralCodes.code, code));
    // The cached answer may be up to 5 s old: the landing may still look active...
    expect((await openReferralLink({ db }, { code, click: details(), cache })).kind).toBe("active");
    // ...but the sign-up reads the code in the database and links nothing.
    const email = `rotated-${randomUUID()}@example.com`;
    const form = { clinicSlug: DEMO_SLUG, firstName: "Ada", lastName: "Quint", email, phone: "", password: "a-good-password-9", referralCode: "" };
    const result = await registerPatient({ db }, { ...form, attributionCode: cookie, fingerprint: { ipHash: null, deviceHash: null } });
    expect(result).toMatchObject({ created: true, referralId: null });
    const linked = await db.select().from(referrals).innerJoin(users, eq(users.id, referrals.refereeId)).where(eq(users.email, email));
    expect(linked).toHaveLength(0);
    // Typed, it is refused outright.
    await expect(registerPatient({ db }, { ...form, email: `typed-${randomUUID()}@example.com`, referralCode: code, attributionCode: null, fingerprint: { ipHash: null, deviceHash: null } })).rejects.toThrow(
      /no longer active/,
    );
  });

  it("a failed lookup is not remembered", async () => {
    const cache = new LandingCache();
    await expect(cache.get("ABCDEFGH", () => Promise.reject(new Error("connection lost")))).rejects.toThrow();
    const target = await cache.get("ABCDEFGH", async () => ({ landing: { kind: "unknown" as const }, referrerId: null }));
    expect(target.landing.kind).toBe("unknown");
  });
});
