import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { deviceSightings, programs, referrals, rewards } from "@/db/schema";
import { staffActor } from "@/server/events/actor";
import { createTestDb } from "@/server/testing/db";
import { callerAs, clinicOf, codeOf, DEMO_SLUG, firstService, key, signUpPatient, userByEmail } from "@/server/testing/fixtures";
import { balances } from "@/server/services/rewards/ledger";

/** Edges of rules P1 and P6 with a clock the test controls: rows are backdated, nobody waits. */
let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let clinicId = "";
let staffId = "";
let serviceId = "";
beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  clinicId = (await clinicOf(db, DEMO_SLUG)).id;
  staffId = (await userByEmail(db, "staff@demo.test")).id;
  serviceId = (await firstService(db, clinicId)).id;
});
afterAll(() => handle.drop());

const paidOrder = (patientId: string) => callerAs(db, staffId).clinic.recordOrder({ patientId, items: [{ serviceId, quantity: 1 }], idempotencyKey: key() });
const setEnabled = (enabled: boolean) => db.update(programs).set({ enabled }).where(eq(programs.clinicId, clinicId));
const credit = async (patientId: string) => (await balances({ db, actor: staffActor(staffId, clinicId), clinicId }, { patientId })).credit;
const referralOf = async (id: string) => (await db.select().from(referrals).where(eq(referrals.id, id)))[0];

describe("rule P1: while the program is paused", () => {
  it("a qualifying order releases no reward; credit earned before stays usable; the referral qualifies on a later order once it runs again", async () => {
    // Earned before the pause: a referrer with a $50 credit.
    const earner = await signUpPatient(db, { firstName: "Earner" });
    const earnersFriend = await signUpPatient(db, { code: await codeOf(db, earner.userId) });
    await paidOrder(earnersFriend.userId);
    expect(await credit(earner.userId)).toBe(5_000);

    const referrer = await signUpPatient(db, { firstName: "Paused" });
    const friend = await signUpPatient(db, { code: await codeOf(db, referrer.userId) });
    expect(friend.referralId).not.toBeNull();

    await setEnabled(false);
    try {
      await paidOrder(friend.userId);
      expect(await db.select().from(rewards).where(eq(rewards.referralId, friend.referralId ?? ""))).toEqual([]);
      expect(await referralOf(friend.referralId ?? "")).toMatchObject({ status: "signed_up", qualifiedAt: null });
      expect([await credit(referrer.userId), await credit(friend.userId)]).toEqual([0, 0]);

      // Rule P1: credits already earned stay usable while paused.
      const spent = await paidOrder(earner.userId);
      expect(spent.creditAppliedCents).toBe(5_000);
      expect(await credit(earner.userId)).toBe(0);
    } finally {
      await setEnabled(true);
    }

    // The referral waited: the friend's next paid order, with the program on, qualifies it.
    await paidOrder(friend.userId);
    expect((await referralOf(friend.referralId ?? ""))?.status).toBe("qualified");
    expect(await credit(referrer.userId)).toBe(5_000);
  });
});

describe("rule P6: the same network as the referrer within 24 hours", () => {
  /** A referrer last seen on `network` `minutesAgo` minutes ago, and a friend signing up from it now. */
  async function friendFromReferrersNetwork(minutesAgo: number) {
    const home = { ipHash: `p6-home-network-${minutesAgo}`, deviceHash: null };
    const referrer = await signUpPatient(db, { firstName: "Seen", fingerprint: home });
    await db
      .update(deviceSightings)
      .set({ seenAt: sql`now() - make_interval(mins => ${minutesAgo})` })
      .where(and(eq(deviceSightings.patientId, referrer.userId), eq(deviceSightings.ipHash, home.ipHash)));
    const friend = await signUpPatient(db, { code: await codeOf(db, referrer.userId), fingerprint: home });
    return referralOf(friend.referralId ?? "");
  }

  it("is flagged for review one minute inside the window", async () => {
    const referral = await friendFromReferrersNetwork(24 * 60 - 1);
    expect(referral?.flags.map((f) => f.kind)).toContain("same_ip");
    expect(referral?.reviewState).not.toBe("none");
  });

  it("is not flagged one minute outside it", async () => {
    const referral = await friendFromReferrersNetwork(24 * 60 + 1);
    expect(referral?.flags.map((f) => f.kind)).not.toContain("same_ip");
    expect(referral?.reviewState).toBe("none");
  });
});
