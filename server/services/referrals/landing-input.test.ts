import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { activityEvents } from "@/db/schema";
import { createTestDb } from "@/server/testing/db";
import { codeOf, userByEmail } from "@/server/testing/fixtures";
import { clickFromRequest } from "@/server/http/clicks";
import { openReferralLink } from "./referrals";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let code: string;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  code = await codeOf(db, (await userByEmail(db, "patient@demo.test")).id);
});
afterAll(() => handle.drop());

describe("item 11: the landing drops an unusable UTM value and still records the click", () => {
  it("records the click with the NUL-bearing values left out, the good ones kept", async () => {
    const url = new URL(`http://localhost/r/${code}?via=email&utm_source=%00&utm_medium=news%07letter&utm_campaign=spring`);
    const headers = new Headers({ "user-agent": "Evil\u0007Agent" });
    const landing = await openReferralLink({ db }, { code, click: clickFromRequest(url, headers, "secret") });
    expect(landing.kind).toBe("active");
    if (landing.kind !== "active") return;
    const [click] = await db
      .select()
      .from(activityEvents)
      .where(and(eq(activityEvents.codeId, landing.codeId), eq(activityEvents.type, "click"), eq(activityEvents.utmCampaign, "spring")));
    expect(click).toMatchObject({ channel: "email", utmSource: null, utmMedium: null, utmCampaign: "spring", userAgent: null });
  });
});
