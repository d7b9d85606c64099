import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { clinics, outboxMessages } from "@/db/schema";
import { systemActor } from "@/server/events/actor";
import { createTestDb } from "@/server/testing/db";
import { clinicOf, DEMO_SLUG } from "@/server/testing/fixtures";
import { notifyStaff } from "@/server/services/messages/compose";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
});
afterAll(() => handle.drop());

describe("issue 19 item 11: the staff channel's Slack text is text, never markup", () => {
  it("a clinic name written as Slack markup is escaped, so `<!here>` pings nobody", async () => {
    const { id } = await clinicOf(db, DEMO_SLUG);
    await db.update(clinics).set({ name: "<!here> Dental & <https://evil.example|Co>" }).where(eq(clinics.id, id));
    const [clinic] = await db.select().from(clinics).where(eq(clinics.id, id));
    if (!clinic) throw new Error("no clinic");
    const eventId = crypto.randomUUID();
    await db.transaction((tx) => notifyStaff({ db: tx, actor: systemActor("messages.events", id), clinicId: id }, { clinic, kind: "staff.referral_flagged", vars: { flags: "same device", review_link: "https://app.example/console/review" }, eventId, slack: true }));
    const [post] = await db.select().from(outboxMessages).where(and(eq(outboxMessages.eventId, eventId), eq(outboxMessages.channel, "slack")));
    expect(post?.body).toContain("&lt;!here&gt; Dental &amp; &lt;https://evil.example|Co&gt;");
    expect(post?.body).not.toContain("<!here>");
    expect(post?.body).not.toContain("<https://evil.example");
    expect(post?.body).toContain("https://app.example/console/review");
  });
});
