import { randomUUID } from "node:crypto";
import type { TRPCError } from "@trpc/server";
import { staffActor } from "@/server/events/actor";
import { and, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { b2bPayoutItems, b2bPayoutRuns, outboxMessages, partnerReferrers } from "@/db/schema";
import { emailedStatusToken, platformCtx, practiceReferralInput, submitPractice, wonPractice } from "@/server/testing/b2b";
import { createTestDb } from "@/server/testing/db";
import { callerAs, userByEmail } from "@/server/testing/fixtures";
import { deliverableBody } from "@/server/messaging/store";
import { recordPayment } from "./payments";
import { runPayouts } from "./payouts";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let platformId = "";
beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  platformId = (await userByEmail(db, "platform@demo.test")).id;
});
afterAll(() => handle.drop());

const stranger = (ip = "198.51.100.70") => callerAs(db, null, {}, { ipHash: ip, deviceHash: null });
const profileOf = async (email: string) => (await db.select().from(partnerReferrers).where(eq(partnerReferrers.email, email)))[0];

describe("item 8 of issue 7: a referrer's email is not a key to their account", () => {
  it("a submission with another referrer's email gets no link to their data and changes nothing of theirs", async () => {
    const victim = await submitPractice(db, { referrerEmail: "dana@victim.example", referrerName: "Dana Whitfield", referrerPhone: "(415) 555-0134", referrerOrganization: "Bright Smiles Dental" });
    const before = await profileOf("dana@victim.example");

    const input = practiceReferralInput({ referrerEmail: "DANA@victim.example", referrerName: "Mallory Vance", referrerPhone: "(646) 555-0199", referrerOrganization: "Vance Holdings" });
    const { token } = await stranger().partner.submit(input);
    const answer = await stranger().partner.status({ token });

    // The sender sees their own submission, under the name they typed, and nothing of Dana's.
    expect(answer.scope).toBe("submission");
    expect(answer.referrerName).toBe("Mallory Vance");
    expect(answer.referrals.map((r) => r.practiceName)).toEqual([input.practiceName]);
    expect(JSON.stringify(answer)).not.toContain(victim.referral.practiceName);
    expect(JSON.stringify(answer)).not.toContain("Dana");
    // Dana's profile, which feeds payouts and statements, is exactly as it was.
    expect(await profileOf("dana@victim.example")).toEqual(before);
  });

  it("a signed-in clinic member typing someone else's email neither proves it nor links their clinic to it", async () => {
    await submitPractice(db, { referrerEmail: "quinn@victim.example" });
    const before = await profileOf("quinn@victim.example");
    expect(before?.customerId).toBeNull();
    const staff = await userByEmail(db, "admin@demo.test");
    const { token } = await callerAs(db, staff.id, {}, { ipHash: "198.51.100.71", deviceHash: null }).partner.submit(practiceReferralInput({ referrerEmail: "quinn@victim.example", referrerName: "Someone Else" }));
    expect((await stranger().partner.status({ token })).scope).toBe("submission");
    expect(await profileOf("quinn@victim.example")).toEqual(before);
  });

  it("the link to everything goes to the typed address, in the outbox, and shows all of that address's referrals", async () => {
    const victim = await submitPractice(db, { referrerEmail: "robin@victim.example" });
    const input = practiceReferralInput({ referrerEmail: "robin@victim.example", referrerName: "Not Robin" });
    const { token } = await stranger("198.51.100.72").partner.submit(input);
    const [message] = await db.select().from(outboxMessages).where(and(eq(outboxMessages.kind, "b2b_confirmation"), eq(outboxMessages.to, "robin@victim.example"), eq(outboxMessages.subject, "We received your practice referral"), like(outboxMessages.body, `%${input.practiceName}%`)));
    expect(message).toBeDefined();
    const emailed = /\/partners\/status\/([\w-]+)/.exec(deliverableBody(message ?? { body: "", sealedLink: null }))?.[1] ?? "";
    expect(emailed).not.toBe(token);
    const all = await stranger().partner.status({ token: emailed });
    expect(all.scope).toBe("referrer");
    expect(all.referrals.map((r) => r.id)).toContain(victim.referral.id);
    expect(all.referrals.map((r) => r.practiceName)).toContain(input.practiceName);
  });

  it("the first to type an unproven address gets no payout; the mailbox owner, once proven, gets it and their own details", async () => {
    const email = `olivia-${randomUUID().slice(0, 8)}@owner.example`;
    // Someone types Olivia's address first, with their own details, and the practice wins.
    const squatted = await wonPractice(db, platformId, { contractStart: "2026-05-01", launchDate: "2026-05-01" }, { referrerEmail: email, referrerName: "Mallory Vance", referrerPhone: "(646) 555-0199" }, { proveEmail: false });
    await recordPayment(platformCtx(db, staffActor(platformId, null)), { referralId: squatted.referral.id, kind: "maintenance", amountCents: 30_000, receivedOn: "2026-05-10", periodStart: "2026-05-01", periodEnd: "2026-05-31", idempotencyKey: randomUUID() });
    const referrer = await profileOf(email);
    if (!referrer) throw new Error("no profile");
    const items = () => db.select().from(b2bPayoutItems).innerJoin(b2bPayoutRuns, eq(b2bPayoutRuns.id, b2bPayoutItems.runId)).where(and(eq(b2bPayoutItems.referrerId, referrer.id), eq(b2bPayoutRuns.month, "2026-05")));

    await runPayouts(platformCtx(db, staffActor(platformId, null)), { month: "2026-05" });
    expect(await items()).toEqual([]);

    // Neither the confirmation page's link, nor merely opening an emailed one (mail scanners do), proves anything.
    await stranger().partner.status({ token: squatted.token });
    await stranger().partner.status({ token: squatted.emailedToken });
    expect((await profileOf(email))?.emailVerifiedAt).toBeNull();
    expect((await stranger().partner.confirmAddress({ token: squatted.token }).catch((e: unknown) => e)) as TRPCError).toMatchObject({ code: "FORBIDDEN" });

    // Olivia submits too; the link in her confirmation email shows what confirming will make hers.
    const mine = await submitPractice(db, { referrerEmail: email, referrerName: "Olivia Grant", referrerPhone: "(312) 555-0110", referrerOrganization: "Grant Family Practice" }, { proveEmail: false });
    expect((await profileOf(email))?.name).toBe("Mallory Vance");
    const emailed = await emailedStatusToken(db, mine.referral.id);
    const page = await stranger().partner.status({ token: emailed });
    expect(page.referrerName).toBe("Olivia Grant");
    expect(page.confirmation).toEqual({ name: "Olivia Grant", organization: "Grant Family Practice", phone: "+13125550110" });
    expect(await stranger().partner.confirmAddress({ token: emailed })).toEqual({ confirmed: true });
    const proven = await profileOf(email);
    expect(proven?.emailVerifiedAt).toBeInstanceOf(Date);
    expect({ name: proven?.name, phone: proven?.phoneE164, organization: proven?.organization }).toEqual({ name: "Olivia Grant", phone: "+13125550110", organization: "Grant Family Practice" });
    expect((await stranger().partner.status({ token: emailed })).confirmation).toBeNull();
    // A second confirmation, from any emailed link, changes nothing.
    await stranger().partner.confirmAddress({ token: squatted.emailedToken });
    expect((await profileOf(email))?.name).toBe("Olivia Grant");

    // Now the month's run pays the proven owner what the referral earned.
    await runPayouts(platformCtx(db, staffActor(platformId, null)), { month: "2026-05" });
    expect((await items()).map((row) => row.b2b_payout_items.totalCents)).toEqual([3_000]);
  });

  it("a signed-in clinic member referring from their own account email is proven at once", async () => {
    const staff = await userByEmail(db, "staff@demo.test");
    await callerAs(db, staff.id, {}, { ipHash: "198.51.100.73", deviceHash: null }).partner.submit(practiceReferralInput({ referrerEmail: "staff@demo.test", referrerName: "Sam Okafor" }));
    const profile = await profileOf("staff@demo.test");
    expect(profile?.emailVerifiedAt).toBeInstanceOf(Date);
    expect(profile?.customerId).not.toBeNull();
  });
});
