import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { activityEvents, programs, referralCodes } from "@/db/schema";
import { and } from "drizzle-orm";
import { createTestDb } from "@/server/testing/db";
import { clinicOf, codeOf, DEMO_SLUG, signUpPatient, userByEmail } from "@/server/testing/fixtures";
import { channelFrom, clickFromRequest, hashIp } from "@/server/http/clicks";
import { openReferralLink, recordClick, resolveLanding } from "./referrals";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let code: string;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  code = await codeOf(db, (await userByEmail(db, "patient@demo.test")).id);
});
afterAll(() => handle.drop());

describe("rule P4: what a shared link leads to", () => {
  it("an active code shows the clinic's invitation with its terms", async () => {
    const landing = await resolveLanding({ db }, { code: code.toLowerCase() });
    expect(landing).toMatchObject({ kind: "active", code, refereeReward: { kind: "credit", amount: 3000 }, attributionWindowDays: 30 });
    if (landing.kind === "active") expect(landing.learnMoreHref).toBe(`/terms/${DEMO_SLUG}`);
  });

  it("an unknown, malformed or rotated code leads nowhere", async () => {
    expect(await resolveLanding({ db }, { code: "ACDEFGHJKM" })).toEqual({ kind: "unknown" });
    expect(await resolveLanding({ db }, { code: "../../etc" })).toEqual({ kind: "unknown" });
    expect(await resolveLanding({ db }, { code: "" })).toEqual({ kind: "unknown" });
    const { userId } = await signUpPatient(db);
    const rotated = await codeOf(db, userId);
    await db.update(referralCodes).set({ rotatedAt: new Date() }).where(eq(referralCodes.code, rotated));
    expect((await resolveLanding({ db }, { code: rotated })).kind).toBe("rotated");
  });

  it("a paused program shows the paused page (rule P1)", async () => {
    const clinic = await clinicOf(db, DEMO_SLUG);
    await db.update(programs).set({ enabled: false }).where(eq(programs.clinicId, clinic.id));
    expect((await resolveLanding({ db }, { code })).kind).toBe("paused");
    await db.update(programs).set({ enabled: true }).where(eq(programs.clinicId, clinic.id));
  });

  it("records the channel, UTM, a keyed hash of the IP and the user agent, never the raw IP", async () => {
    const landing = await resolveLanding({ db }, { code });
    if (landing.kind !== "active") throw new Error("expected an active code");
    const url = new URL(`http://localhost/r/${code}?via=SMS&utm_source=newsletter&utm_medium=email&utm_campaign=spring`);
    const headers = new Headers({ "x-forwarded-for": "203.0.113.9, 10.0.0.1", "user-agent": "Mozilla/5.0 Test" });
    const referrer = await userByEmail(db, "patient@demo.test");
    await recordClick({ db }, { clinicId: landing.clinic.id, codeId: landing.codeId, patientId: referrer.id, ...clickFromRequest(url, headers, "secret-1") });
    const [click] = await db.select().from(activityEvents).where(and(eq(activityEvents.codeId, landing.codeId), eq(activityEvents.type, "click")));
    expect(click).toMatchObject({ channel: "sms", utmSource: "newsletter", utmMedium: "email", utmCampaign: "spring", userAgent: "Mozilla/5.0 Test" });
    // The proxy's own entry counts, not what the client put before it.
    expect(click?.ipHash).toBe(hashIp("10.0.0.1", "secret-1"));
    expect(JSON.stringify(click)).not.toContain("10.0.0.1");
  });

  it("reads the channel forgivingly", () => {
    expect(channelFrom("qr")).toBe("qr");
    expect(channelFrom(" Email ")).toBe("email");
    expect(channelFrom("carrier-pigeon")).toBe("other");
    expect(channelFrom(null)).toBeNull();
    expect(hashIp("1.2.3.4", "a")).not.toBe(hashIp("1.2.3.4", "b"));
  });

  it("opening an active link records exactly one click; paused, rotated and unknown links record none", async () => {
    const clicks = async () => (await db.select().from(activityEvents).where(eq(activityEvents.type, "click"))).length;
    const details = clickFromRequest(new URL(`http://localhost/r/${code}?via=qr`), new Headers(), "s");
    const before = await clicks();
    expect((await openReferralLink({ db }, { code, click: details })).kind).toBe("active");
    expect(await clicks()).toBe(before + 1);

    const clinic = await clinicOf(db, DEMO_SLUG);
    await db.update(programs).set({ enabled: false }).where(eq(programs.clinicId, clinic.id));
    expect((await openReferralLink({ db }, { code, click: details })).kind).toBe("paused");
    await db.update(programs).set({ enabled: true }).where(eq(programs.clinicId, clinic.id));
    expect((await openReferralLink({ db }, { code: "ACDEFGHJKM", click: details })).kind).toBe("unknown");
    const { userId } = await signUpPatient(db);
    const rotated = await codeOf(db, userId);
    await db.update(referralCodes).set({ rotatedAt: new Date() }).where(eq(referralCodes.code, rotated));
    expect((await openReferralLink({ db }, { code: rotated, click: details })).kind).toBe("rotated");
    expect(await clicks()).toBe(before + 1);
  });
});
