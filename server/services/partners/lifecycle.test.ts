import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { b2bEvents, b2bReferrals, outboxMessages } from "@/db/schema";
import { platformCtx, submitPractice } from "@/server/testing/b2b";
import { createTestDb, itConcurrently } from "@/server/testing/db";
import { callerAs, userByEmail } from "@/server/testing/fixtures";
import { runDailyJobs } from "./jobs";
import { B2B_DAILY_ACTOR } from "./lifecycle";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let platformId = "";
beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  platformId = (await userByEmail(db, "platform@demo.test")).id;
});
afterAll(() => handle.drop());

const platform = () => callerAs(db, platformId);
/** The platform's daily run, as the runner builds its context. */
const daily = () => platformCtx(db, B2B_DAILY_ACTOR);
const won = { contractStart: "2026-01-05", launchDate: "2026-02-01", plan: "Standard", monthlyFeeCents: 30_000 };

describe("rule B3: lifecycle", () => {
  it("submitted -> under review -> accepted -> won, each step recorded and told to the referrer", async () => {
    const { referral, token } = await submitPractice(db);
    await platform().platformB2b.startReview({ referralId: referral.id });
    await platform().platformB2b.accept({ referralId: referral.id });
    const row = await platform().platformB2b.markWon({ referralId: referral.id, ...won });
    expect(row.status).toBe("won");
    expect(row.contractStart).toBe("2026-01-05");
    const events = await db.select().from(b2bEvents).where(eq(b2bEvents.referralId, referral.id));
    expect(events.map((e) => e.kind)).toEqual(["submitted", "under_review", "accepted", "won"]);
    const messages = await db.select().from(outboxMessages).where(eq(outboxMessages.referralId, referral.id));
    expect(messages.map((m) => m.kind).sort()).toEqual(["b2b_confirmation", "b2b_status_accepted", "b2b_status_won"]);
    expect((await callerAs(db, null).partner.status({ token })).referrals[0]?.status).toBe("won");
  });

  it("a rejection needs a reason, and the referrer reads it", async () => {
    const { referral, token } = await submitPractice(db);
    const error = await platform().platformB2b.reject({ referralId: referral.id, reason: "no" }).catch((e: unknown) => e);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    await platform().platformB2b.reject({ referralId: referral.id, reason: "This practice is already in talks with our sales team." });
    const [mine] = (await callerAs(db, null).partner.status({ token })).referrals.filter((r) => r.id === referral.id);
    expect(mine?.status).toBe("rejected");
    expect(mine?.reason).toBe("This practice is already in talks with our sales team.");
  });

  it("refuses steps out of order, and a duplicate can never be accepted", async () => {
    const first = await submitPractice(db);
    const dup = await submitPractice(db, { ...first.input, idempotencyKey: `dup-${first.input.idempotencyKey}`, referrerEmail: "late@other.example" });
    expect(dup.referral.status).toBe("duplicate");
    for (const attempt of [
      () => platform().platformB2b.accept({ referralId: dup.referral.id }),
      () => platform().platformB2b.markWon({ referralId: first.referral.id, ...won }),
      () => platform().platformB2b.markLost({ referralId: first.referral.id, reason: "went elsewhere" }),
      () => platform().platformB2b.recordPayment({ referralId: first.referral.id, kind: "maintenance", amountCents: 100, receivedOn: "2026-02-01", periodStart: "2026-02-01", periodEnd: "2026-02-28", idempotencyKey: "not-won-yet" }),
    ]) {
      const error = await attempt().catch((e: unknown) => e);
      expect((error as TRPCError).code).toBe("PRECONDITION_FAILED");
    }
  });

  itConcurrently("two staff accepting at once: one acceptance, one event, one message", async () => {
    const { referral } = await submitPractice(db);
    const results = await Promise.allSettled([platform().platformB2b.accept({ referralId: referral.id }), platform().platformB2b.accept({ referralId: referral.id })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const accepted = await db.select().from(b2bEvents).where(and(eq(b2bEvents.referralId, referral.id), eq(b2bEvents.kind, "accepted")));
    expect(accepted).toHaveLength(1);
    const messages = await db.select().from(outboxMessages).where(and(eq(outboxMessages.referralId, referral.id), eq(outboxMessages.kind, "b2b_status_accepted")));
    expect(messages).toHaveLength(1);
  });

  it("a won lead can't start before its contract", async () => {
    const { referral } = await submitPractice(db);
    await platform().platformB2b.accept({ referralId: referral.id });
    const error = await platform().platformB2b.markWon({ referralId: referral.id, ...won, launchDate: "2025-12-01" }).catch((e: unknown) => e);
    expect((error as TRPCError).message).toMatch(/launch date/);
  });

  it("an accepted lead expires on the first anniversary of its submission, not a day before, and once", async () => {
    const { referral, token } = await submitPractice(db);
    await platform().platformB2b.accept({ referralId: referral.id });
    const untouched = await submitPractice(db);
    // Submitted late on 10 March 2025 (UTC).
    for (const id of [referral.id, untouched.referral.id]) {
      await db.update(b2bReferrals).set({ createdAt: new Date("2025-03-10T23:30:00Z") }).where(eq(b2bReferrals.id, id));
    }
    await runDailyJobs(daily(), { asOf: "2026-03-09" });
    expect((await db.select().from(b2bReferrals).where(eq(b2bReferrals.id, referral.id)))[0]?.status).toBe("accepted");
    expect((await runDailyJobs(daily(), { asOf: "2026-03-10" }))?.expired).toBe(1);
    expect((await runDailyJobs(daily(), { asOf: "2026-03-10" }))?.expired).toBe(0);
    expect((await db.select().from(b2bReferrals).where(eq(b2bReferrals.id, referral.id)))[0]?.status).toBe("expired");
    // Only accepted leads expire; a lead nobody reviewed waits for a person.
    expect((await db.select().from(b2bReferrals).where(eq(b2bReferrals.id, untouched.referral.id)))[0]?.status).toBe("submitted");
    const expiryMessages = await db.select().from(outboxMessages).where(and(eq(outboxMessages.referralId, referral.id), eq(outboxMessages.kind, "b2b_status_expired")));
    expect(expiryMessages).toHaveLength(1);
    expect((await callerAs(db, null).partner.status({ token })).referrals.find((r) => r.id === referral.id)?.statusText).toMatch(/Expired/);
  });

  itConcurrently("two daily runs at once expire a stale lead once, with one message", async () => {
    const { referral } = await submitPractice(db);
    await platform().platformB2b.accept({ referralId: referral.id });
    await db.update(b2bReferrals).set({ createdAt: new Date("2024-06-01T12:00:00Z") }).where(eq(b2bReferrals.id, referral.id));
    const [a, b] = await Promise.all([runDailyJobs(daily(), { asOf: "2025-06-01" }), runDailyJobs(daily(), { asOf: "2025-06-01" })]);
    expect((a?.expired ?? 0) + (b?.expired ?? 0)).toBe(1);
    const messages = await db.select().from(outboxMessages).where(and(eq(outboxMessages.referralId, referral.id), eq(outboxMessages.kind, "b2b_status_expired")));
    expect(messages).toHaveLength(1);
  });
});

describe("the platform area is for platform admins only", () => {
  it("a clinic admin is refused every platform procedure", async () => {
    const clinicAdmin = callerAs(db, (await userByEmail(db, "admin@demo.test")).id);
    for (const call of [() => clinicAdmin.platformB2b.queue({ status: "open" }), () => clinicAdmin.platformB2b.customers(), () => clinicAdmin.platformB2b.runPayouts({ month: "2026-10" }), () => clinicAdmin.platformB2b.messages()]) {
      const error = await call().catch((e: unknown) => e);
      expect((error as TRPCError).code).toBe("FORBIDDEN");
    }
  });

});
