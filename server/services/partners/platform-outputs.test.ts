import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { practiceReferralInput, submitPractice } from "@/server/testing/b2b";
import { createTestDb } from "@/server/testing/db";
import { callerAs, userByEmail } from "@/server/testing/fixtures";
import { submitReferral } from "./submissions";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
});
afterAll(() => handle.drop());

describe("item 13 of issue 7: the platform's referral pages get what they show, no more", () => {
  it("the queue and a referral's page carry no ip hash, idempotency key or event payload", async () => {
    const input = practiceReferralInput();
    await submitReferral({ db }, { ...input, ipHash: "ip-hash-of-the-sender", sessionUserId: null });
    const { referral } = await submitPractice(db);
    const platform = callerAs(db, (await userByEmail(db, "platform@demo.test")).id).platformB2b;
    const queue = await platform.queue({ status: "all" });
    const detail = await platform.referral({ referralId: referral.id });
    const sent = JSON.stringify([queue, detail]);
    expect(queue.map((r) => r.practiceName)).toContain(input.practiceName);
    expect(sent).not.toContain("ip-hash-of-the-sender");
    expect(sent).not.toContain(input.idempotencyKey);
    for (const row of [...queue, detail.referral]) expect(Object.keys(row)).not.toContain("ipHash");
    expect(Object.keys(detail.referral)).not.toContain("idempotencyKey");
    expect(detail.events.map((e) => Object.keys(e).sort())).toEqual([["createdAt", "id", "kind"]]);
  });
});
