import { and, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { activityEvents, domainEvents, outboxMessages, referrals, users } from "@/db/schema";
import { systemActor } from "@/server/events/actor";
import { slackChannel } from "@/server/messaging/channels";
import { composeForEvent } from "@/server/services/messages/compose";
import { deliverMessage } from "@/server/messaging/deliver";
import { queueMessage } from "@/server/messaging/store";
import { createTestDb } from "@/server/testing/db";
import { codeOf, DEMO_SLUG, key, userByEmail } from "@/server/testing/fixtures";
import { registerPatient } from "@/server/services/patients/sign-up";
import { atTime, currentTime } from "./clock";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let referrerId: string;
let referrerCode: string;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  referrerId = (await userByEmail(db, "patient2@demo.test")).id;
  referrerCode = await codeOf(db, referrerId);
});
afterAll(() => handle.drop());

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A friend of patient2 signs up with the typed code, in a transaction whose clock reads `at`. */
async function friendJoinsAt(at: Date) {
  const email = `friend-${key()}@example.com`;
  const input = { clinicSlug: DEMO_SLUG, firstName: "Rosa", lastName: "Diaz", email, phone: "", password: "a-good-password-9", referralCode: referrerCode };
  const result = await atTime(db, at, (tx) => registerPatient({ db: tx }, { ...input, attributionCode: null, fingerprint: { ipHash: null, deviceHash: null }, now: at }));
  if (!result.created) throw new Error("not created");
  return result;
}

describe("the transaction's clock (atTime)", () => {
  it("stamps every row the services write in it, and the database clock returns after it", async () => {
    const at = new Date(Date.now() - 40 * DAY);
    const { userId, referralId } = await friendJoinsAt(at);
    const [user] = await db.select({ createdAt: users.createdAt }).from(users).where(eq(users.id, userId));
    const [referral] = await db.select({ createdAt: referrals.createdAt }).from(referrals).where(eq(referrals.id, referralId ?? ""));
    const [event] = await db.select({ createdAt: domainEvents.createdAt }).from(domainEvents).where(and(eq(domainEvents.type, "referral.created"), sql`${domainEvents.data}->>'referralId' = ${referralId}`));
    expect(user?.createdAt.toISOString()).toBe(at.toISOString());
    expect(referral?.createdAt.toISOString()).toBe(at.toISOString());
    const [row] = await db.select({ createdAt: activityEvents.createdAt }).from(activityEvents).where(and(eq(activityEvents.referralId, referralId ?? ""), eq(activityEvents.type, "sign_up")));
    expect(row?.createdAt.toISOString()).toBe(at.toISOString());
    expect(event?.createdAt.toISOString()).toBe(at.toISOString());

    // Outside atTime, and after it inside a longer transaction, the clock is the database's.
    expect(Math.abs((await currentTime(db)).getTime() - Date.now())).toBeLessThan(60_000);
    await db.transaction(async (tx) => {
      expect((await atTime(tx, at, (inner) => currentTime(inner))).toISOString()).toBe(at.toISOString());
      expect(Math.abs((await currentTime(tx)).getTime() - Date.now())).toBeLessThan(60_000);
    });
  });

  it("rule P10: velocity counts the 24 hours before the transaction's clock, not before the real one", async () => {
    // Six sign-ups in one afternoon 60 days ago trip the default five-a-day threshold then...
    const busy = new Date(Date.now() - 60 * DAY);
    const made = [];
    for (let i = 0; i < 6; i++) made.push(await friendJoinsAt(new Date(busy.getTime() + i * HOUR)));
    const flagsOf = async (id: string | null) => (await db.select({ flags: referrals.flags }).from(referrals).where(eq(referrals.id, id ?? "")))[0]?.flags ?? [];
    expect((await flagsOf(made[5]?.referralId ?? null)).map((f) => f.kind)).toContain("velocity");
    // ...and a sign-up today is measured against today's last 24 hours only.
    const today = await friendJoinsAt(new Date());
    expect((await flagsOf(today.referralId)).map((f) => f.kind)).not.toContain("velocity");
  });
});

describe("rule A2: news that late is noise (server/messaging/stale.ts)", () => {
  async function friendJoinedEvent(referralId: string | null) {
    const [event] = await db
      .select({ id: domainEvents.id })
      .from(domainEvents)
      .where(and(eq(domainEvents.type, "referral.created"), sql`${domainEvents.data}->>'referralId' = ${referralId}`));
    if (!event) throw new Error("no referral.created event");
    return event.id;
  }
  const messagesFor = async (eventId: string) => (await db.select({ n: count() }).from(outboxMessages).where(eq(outboxMessages.eventId, eventId)))[0]?.n;

  it("an event from days ago (history written with a clock, or a replay) sends nobody anything; a fresh one does", async () => {
    const old = new Date(Date.now() - 4 * DAY);
    const oldEvent = await friendJoinedEvent((await friendJoinsAt(old)).referralId);
    await composeForEvent({ db, actor: systemActor("messages.events"), clinicId: null }, { eventId: oldEvent });
    expect(await messagesFor(oldEvent)).toBe(0);

    const freshEvent = await friendJoinedEvent((await friendJoinsAt(new Date())).referralId);
    await composeForEvent({ db, actor: systemActor("messages.events"), clinicId: null }, { eventId: freshEvent });
    expect(await messagesFor(freshEvent)).toBeGreaterThan(0);
  });

  it("a message still unsent three days after it was due is kept as expired, not sent; a fresh one goes", async () => {
    const clinicId = (await userByEmail(db, "patient2@demo.test")).clinicId ?? "";
    const message = { clinicId, kind: "account.password_changed", to: "late@example.com", subject: "Your password was changed", body: "Hello" } as const;
    const late = await atTime(db, new Date(Date.now() - 4 * DAY), (tx) => queueMessage(tx, message));
    const fresh = await queueMessage(db, { ...message, to: "fresh@example.com" });
    const none = { email: null, sms: null, slack: slackChannel() };
    for (const id of [late, fresh]) await deliverMessage(db, none, id ?? "", { lastAttempt: false });
    const statusOf = async (id: string | null) => (await db.select({ status: outboxMessages.status }).from(outboxMessages).where(eq(outboxMessages.id, id ?? "")))[0]?.status;
    expect(await statusOf(late)).toBe("expired");
    // No channel configured here: a message that would go is kept as "logged".
    expect(await statusOf(fresh)).toBe("logged");
  });
});
