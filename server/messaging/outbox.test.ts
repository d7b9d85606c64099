import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { outboxMessages } from "@/db/schema";
import { submitPractice } from "@/server/testing/b2b";
import { createTestDb } from "@/server/testing/db";
import { callerAs, userByEmail } from "@/server/testing/fixtures";
import { deliverableBody } from "./store";
import { enqueueMessage } from "./outbox";
import { resendStatusLink } from "@/server/services/partners/status";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
});
afterAll(() => handle.drop());

describe("item 12 of issue 7: the outbox keeps private links from staff", () => {
  it("stores no status token readable in any column, and the sender still recovers a working link", async () => {
    const { referral, emailedToken } = await submitPractice(db, { referrerEmail: "lee@sealed.example" }, { proveEmail: false });
    await resendStatusLink({ db }, { email: "lee@sealed.example" });
    const rows = await db.select().from(outboxMessages).where(eq(outboxMessages.to, "lee@sealed.example"));
    expect(rows.map((r) => r.kind).sort()).toEqual(["b2b_confirmation", "b2b_status_link"]);
    for (const row of rows) {
      expect(JSON.stringify(row)).not.toMatch(/\/partners\/status\//);
      const link = /\/partners\/status\/([\w-]+)/.exec(deliverableBody(row))?.[1] ?? "";
      expect(JSON.stringify(row)).not.toContain(link);
      const page = await callerAs(db, null).partner.status({ token: link });
      expect(page.referrals.map((r) => r.id)).toEqual([referral.id]);
    }
    expect(rows.some((r) => deliverableBody(r).includes(emailedToken))).toBe(true);
  });

  it("the platform message log shows neither a sealed link nor one stored in the body before links were sealed", async () => {
    const { emailedToken } = await submitPractice(db, { referrerEmail: "kai@sealed.example" });
    const legacy = "x".repeat(43);
    await enqueueMessage(db, { kind: "b2b_status_link", to: "old@sealed.example", subject: "Your practice referral status link", body: `Here is your link: http://localhost:3000/partners/status/${legacy}` });
    const platform = await userByEmail(db, "platform@demo.test");
    const log = await callerAs(db, platform.id).platformB2b.messages();
    const text = JSON.stringify(log);
    expect(log.some((m) => m.to === "kai@sealed.example" && m.body.includes("private link"))).toBe(true);
    expect(log.some((m) => m.to === "old@sealed.example" && m.body.includes("private link"))).toBe(true);
    expect(text).not.toContain(emailedToken);
    expect(text).not.toContain(legacy);
    expect(text).not.toMatch(/\/partners\/status\//);
  });

  it("refuses a private link the body has no place for, rather than dropping it", async () => {
    await expect(enqueueMessage(db, { kind: "x", to: "a@b.example", subject: "s", body: "no place", privateLink: "http://localhost/secret" })).rejects.toThrow("LINK_PLACEHOLDER");
  });
});
