import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { MONTHLY_JOB_ACTOR } from "./jobs";
import { staffActor } from "@/server/events/actor";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { b2bPayoutItemRewards, b2bRewards } from "@/db/schema";
import { platformCtx, wonPractice } from "@/server/testing/b2b";
import { createTestDb, itConcurrently } from "@/server/testing/db";
import { callerAs, userByEmail } from "@/server/testing/fixtures";
import { recordPayment } from "./payments";
import { previousMonth, runPayouts } from "./payouts";
import { addMonths } from "./rewards";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let actorId = "";
beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  actorId = (await userByEmail(db, "platform@demo.test")).id;
});
afterAll(() => handle.drop());

const platform = () => callerAs(db, actorId);
const pay = (referralId: string, receivedOn: string, amountCents: number) =>
  recordPayment(platformCtx(db, staffActor(actorId, null)), { referralId, kind: "maintenance", amountCents, receivedOn, periodStart: receivedOn, periodEnd: addMonths(receivedOn, 1), idempotencyKey: randomUUID() });

async function allLinked() {
  const links = await db.select().from(b2bPayoutItemRewards);
  return { links, sum: links.reduce((total, l) => total + l.amountCents, 0) };
}

describe("rule B6: monthly payouts", () => {
  it("defaults to the previous month", () => {
    expect(previousMonth("2026-11-01")).toBe("2026-10");
    expect(previousMonth("2026-01-15")).toBe("2025-12");
  });

  it("totals each referrer's earnings from the month's payments, and repeating the run pays nothing twice", async () => {
    const a = await wonPractice(db, actorId, { contractStart: "2026-09-01", launchDate: "2026-09-01" }, { referrerEmail: "ann@payout.example" });
    const a2 = await wonPractice(db, actorId, { contractStart: "2026-09-01", launchDate: "2026-09-01" }, { referrerEmail: "ann@payout.example" });
    const b = await wonPractice(db, actorId, { contractStart: "2026-09-01", launchDate: "2026-09-01" }, { referrerEmail: "ben@payout.example" });
    await pay(a.referral.id, "2026-10-01", 30_000);
    await pay(a2.referral.id, "2026-10-03", 33_335);
    await pay(b.referral.id, "2026-10-31", 20_000);
    await pay(b.referral.id, "2026-11-01", 20_000); // next month's

    await platform().platformB2b.runPayouts({ month: "2026-10" });
    expect(await runPayouts(platformCtx(db, MONTHLY_JOB_ACTOR), { month: "2026-10" })).toMatchObject({ added: 0 });
    const { run, items } = await platform().platformB2b.payoutRun({ month: "2026-10" });
    expect(run.status).toBe("draft");
    expect(items.map((i) => [i.referrerEmail, i.totalCents])).toEqual([
      ["ann@payout.example", 3_000 + 3_334],
      ["ben@payout.example", 2_000],
    ]);
    expect((await allLinked()).sum).toBe(8_334);

    // November's run takes only what October didn't.
    await runPayouts(platformCtx(db, MONTHLY_JOB_ACTOR), { month: "2026-11" });
    const november = await platform().platformB2b.payoutRun({ month: "2026-11" });
    expect(november.items.map((i) => [i.referrerEmail, i.totalCents])).toEqual([["ben@payout.example", 2_000]]);
    const { links } = await allLinked();
    expect(links).toHaveLength((await db.select().from(b2bRewards)).length);
  });

  itConcurrently("five runs of a month at once, and the next month's racing it, pay each reward once", async () => {
    const e = await wonPractice(db, actorId, { contractStart: "2027-03-01", launchDate: "2027-03-01" }, { referrerEmail: "eve@payout.example" });
    await pay(e.referral.id, "2027-03-02", 40_000);
    await pay(e.referral.id, "2027-04-02", 40_000);
    await Promise.all([...Array.from({ length: 5 }, () => platform().platformB2b.runPayouts({ month: "2027-03" })), runPayouts(platformCtx(db, MONTHLY_JOB_ACTOR), { month: "2027-04" })]);
    const march = (await platform().platformB2b.payoutRun({ month: "2027-03" })).items.filter((i) => i.referrerEmail === "eve@payout.example");
    const april = (await platform().platformB2b.payoutRun({ month: "2027-04" })).items.filter((i) => i.referrerEmail === "eve@payout.example");
    // March's reward may go to whichever run locks first; April's can only be April's. Each is paid once.
    expect([...march, ...april].reduce((t, i) => t + i.totalCents, 0)).toBe(8_000);
    expect(march.reduce((t, i) => t + i.totalCents, 0)).toBeLessThanOrEqual(4_000);
    const { links } = await allLinked();
    expect(new Set(links.map((l) => l.rewardId)).size).toBe(links.length);
  });

  itConcurrently("racing runs of two months over the same unpaid reward put it in exactly one", async () => {
    const c = await wonPractice(db, actorId, { contractStart: "2026-09-01", launchDate: "2026-09-01" }, { referrerEmail: "cat@payout.example" });
    await pay(c.referral.id, "2026-09-10", 10_000); // late: September was never run
    await Promise.all([runPayouts(platformCtx(db, MONTHLY_JOB_ACTOR), { month: "2026-12" }), runPayouts(platformCtx(db, MONTHLY_JOB_ACTOR), { month: "2027-01" }), runPayouts(platformCtx(db, MONTHLY_JOB_ACTOR), { month: "2026-12" })]);
    const { links } = await allLinked();
    expect(new Set(links.map((l) => l.rewardId)).size).toBe(links.length);
    // Both runs exist (each run makes its row even when empty); the late reward is in one of them.
    const dec = await platform().platformB2b.payoutRun({ month: "2026-12" });
    const jan = await platform().platformB2b.payoutRun({ month: "2027-01" });
    const cat = [...dec.items, ...jan.items].filter((i) => i.referrerEmail === "cat@payout.example");
    expect(cat.map((i) => i.totalCents)).toEqual([1_000]);
  });

  it("staff approve, mark paid with a reference, and an approved month never changes again", async () => {
    await expect(platform().platformB2b.markPaid({ itemId: (await platform().platformB2b.payoutRun({ month: "2026-10" })).items[0]?.id ?? "", reference: "WIRE-1" })).rejects.toBeInstanceOf(TRPCError);
    await platform().platformB2b.approveRun({ month: "2026-10" });
    const { items } = await platform().platformB2b.payoutRun({ month: "2026-10" });
    const ann = items.find((i) => i.referrerEmail === "ann@payout.example");
    await platform().platformB2b.markPaid({ itemId: ann?.id ?? "", reference: "WIRE-2026-10-001" });
    const twice = await platform().platformB2b.markPaid({ itemId: ann?.id ?? "", reference: "WIRE-AGAIN" }).catch((e: unknown) => e);
    expect((twice as TRPCError).code).toBe("PRECONDITION_FAILED");

    // A payment recorded late for October after approval goes to a later run, not into the closed one.
    const late = await wonPractice(db, actorId, { contractStart: "2026-09-01", launchDate: "2026-09-01" }, { referrerEmail: "ann@payout.example" });
    await pay(late.referral.id, "2026-10-20", 50_000);
    expect(await runPayouts(platformCtx(db, MONTHLY_JOB_ACTOR), { month: "2026-10" })).toMatchObject({ added: 0 });
    const after = await platform().platformB2b.payoutRun({ month: "2026-10" });
    expect(after.items.find((i) => i.referrerEmail === "ann@payout.example")).toMatchObject({ totalCents: 6_334, status: "paid", paidReference: "WIRE-2026-10-001" });

    const lines = await platform().platformB2b.payoutLines({ month: "2026-10", referrerId: ann?.referrerId });
    expect(lines.reduce((t, l) => t + l.amountCents, 0)).toBe(6_334);
    expect(lines.every((l) => l.referrerEmail === "ann@payout.example")).toBe(true);
  });

  it("the referrer's status page shows what each referral earned and what was paid", async () => {
    const d = await wonPractice(db, actorId, { contractStart: "2026-09-01", launchDate: "2026-09-01" }, { referrerEmail: "dee@payout.example" });
    await pay(d.referral.id, "2027-02-02", 45_000);
    await runPayouts(platformCtx(db, MONTHLY_JOB_ACTOR), { month: "2027-02" });
    const page1 = await callerAs(db, null).partner.status({ token: d.token });
    expect(page1.referrals[0]).toMatchObject({ earnedCents: 4_500, paidCents: 0 });
    await platform().platformB2b.approveRun({ month: "2027-02" });
    const item = (await platform().platformB2b.payoutRun({ month: "2027-02" })).items.find((i) => i.referrerEmail === "dee@payout.example");
    await platform().platformB2b.markPaid({ itemId: item?.id ?? "", reference: "ACH-77" });
    expect((await callerAs(db, null).partner.status({ token: d.token })).referrals[0]).toMatchObject({ earnedCents: 4_500, paidCents: 4_500 });
  });
});
