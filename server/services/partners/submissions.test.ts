import { TRPCError } from "@trpc/server";
import { count, eq } from "drizzle-orm";
import { ZodError } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { staffActor } from "@/server/events/actor";
import { b2bReferrals, outboxMessages, partnerReferrers, practiceIdentities } from "@/db/schema";
import { platformCtx, practiceReferralInput, submitPractice } from "@/server/testing/b2b";
import { createTestDb, itConcurrently } from "@/server/testing/db";
import { callerAs, userByEmail } from "@/server/testing/fixtures";
import { saveCustomer, saveProspect } from "./crm";
import { deliverableBody } from "@/server/messaging/store";
import { submitReferral } from "./submissions";
import { updateB2bProgram } from "./program";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let platformId = "";
beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  platformId = (await userByEmail(db, "platform@demo.test")).id;
});
afterAll(() => handle.drop());

/** The platform admin's service context, for the customer and prospect lists. */
const asPlatform = () => platformCtx(db, staffActor(platformId, null));

const referralCount = async () => (await db.select({ n: count() }).from(b2bReferrals))[0]?.n ?? 0;

async function submitError(input: unknown, ip = "198.51.100.1") {
  const error = await callerAs(db, null, {}, { ipHash: ip, deviceHash: null }).partner.submit(input as never).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

describe("rule B1: the public form", () => {
  it.each([
    [{ postalCode: "1234" }, "Enter a US ZIP code like 12345 or 12345-6789."],
    [{ country: "CA" as const, region: "ON", postalCode: "12345", practicePhone: "(416) 555-0199" }, "Enter a Canadian postal code like K1A 0B1."],
    [{ region: "ZZ" }, "Choose the state."],
    [{ country: "CA" as const, region: "IL", postalCode: "K1A 0B1", practicePhone: "(416) 555-0199" }, "Choose the province or territory."],
    [{ practicePhone: "555-01" }, "Enter a valid US or Canadian phone number with area code."],
    [{ practicePhone: "+44 20 7946 0958" }, "Enter a valid US or Canadian phone number with area code."],
    [{ referrerEmail: "dana@" }, "Enter a valid email address, like name@example.com."],
    [{ website: "not a site" }, "Enter a web address like example.com, or leave it empty."],
    [{ ageConfirmed: false }, "Confirm that you are 18 or older."],
    [{ noConflictDeclared: false }, "Confirm that you are not an employee or family member of the practice or of the platform."],
    [{ termsAccepted: false }, "Accept the partner program terms to continue."],
    [{ practiceName: "  " }, "Enter the practice's name."],
  ])("refuses %o with a specific message and stores nothing", async (overrides, message) => {
    const before = await referralCount();
    const error = await submitError(practiceReferralInput(overrides));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.cause instanceof ZodError ? error.cause.issues[0]?.message : error.message).toBe(message);
    expect(await referralCount()).toBe(before);
  });

  it("accepts US ZIP+4, a Canadian postal code without a space and a practice abroad", async () => {
    await expect(submitPractice(db, { postalCode: "62704-1234" })).resolves.toBeTruthy();
    await expect(submitPractice(db, { country: "CA", region: "qc", postalCode: "h2x1y4", practicePhone: "514 555 0188" })).resolves.toBeTruthy();
    await expect(submitPractice(db, { country: "OTHER", region: "", postalCode: "SW1A 1AA", practicePhone: "+44 20 7946 0958" })).resolves.toBeTruthy();
  });

  it("keeps nothing a bot puts in the hidden field, and still thanks it", async () => {
    const before = await referralCount();
    const result = await callerAs(db, null, {}, { ipHash: "198.51.100.2", deviceHash: null }).partner.submit(practiceReferralInput({ nickname: "buy now" }));
    expect(result.token.length).toBeGreaterThan(20);
    expect(await referralCount()).toBe(before);
  });

  it("makes one submission of a double click", async () => {
    const input = practiceReferralInput();
    const caller = callerAs(db, null, {}, { ipHash: "198.51.100.4", deviceHash: null });
    const a = await caller.partner.submit(input);
    const b = await caller.partner.submit(input);
    const rows = await db.select().from(b2bReferrals).where(eq(b2bReferrals.idempotencyKey, input.idempotencyKey));
    expect(rows).toHaveLength(1);
    for (const { token } of [a, b]) expect((await caller.partner.status({ token })).referrals.map((r) => r.id)).toContain(rows[0]?.id);
  });

  itConcurrently("makes one submission of a double click whose requests arrive at once", async () => {
    const input = practiceReferralInput();
    const caller = callerAs(db, null, {}, { ipHash: "198.51.100.3", deviceHash: null });
    const [a, b] = await Promise.all([caller.partner.submit(input), caller.partner.submit(input)]);
    const rows = await db.select().from(b2bReferrals).where(eq(b2bReferrals.idempotencyKey, input.idempotencyKey));
    expect(rows).toHaveLength(1);
    // Both answers are working links to that one submission.
    for (const { token } of [a, b]) expect((await caller.partner.status({ token })).referrals.map((r) => r.id)).toEqual([rows[0]?.id]);
  });

  it("limits submissions per address, through the database", async () => {
    const ip = "203.0.113.77";
    for (let i = 0; i < 10; i++) await callerAs(db, null, {}, { ipHash: ip, deviceHash: null }).partner.submit(practiceReferralInput());
    const error = await submitError(practiceReferralInput(), ip);
    expect(error.message).toMatch(/several requests/);
    // Another address is not affected.
    await expect(callerAs(db, null, {}, { ipHash: "203.0.113.78", deviceHash: null }).partner.submit(practiceReferralInput())).resolves.toBeTruthy();
  });

  it("prefills signed-in clinic staff with their practice, and nobody else", async () => {
    const staff = await userByEmail(db, "staff@demo.test");
    expect(await callerAs(db, staff.id).partner.prefill()).toEqual({ referrerName: "Sam Okafor", referrerEmail: "staff@demo.test", referrerOrganization: "Maple Street Dental" });
    expect(await callerAs(db, null).partner.prefill()).toBeNull();
    expect(await callerAs(db, (await userByEmail(db, "patient@demo.test")).id).partner.prefill()).toBeNull();
  });
});

describe("rule B2: screening", () => {
  itConcurrently("20 simultaneous submissions of one practice leave exactly one primary and 19 duplicates of it", async () => {
    const base = practiceReferralInput();
    const variants = Array.from({ length: 20 }, (_, i) =>
      practiceReferralInput({
        ...base,
        // The same practice, typed twenty ways by twenty people.
        referrerEmail: `referrer${i}@partner${i}.example`,
        website: i % 2 ? base.website.replace("https://www.", "http://").toUpperCase() : base.website,
        practicePhone: i % 3 ? base.practicePhone : `+1 ${base.practicePhone.replace(/\D/g, "")}`,
        practiceName: i % 4 ? base.practiceName : `The ${base.practiceName}, LLC`,
        idempotencyKey: `concurrent-${i}-${base.idempotencyKey}`,
      }),
    );
    await Promise.all(variants.map((input) => submitReferral({ db }, { ...input, ipHash: null, sessionUserId: null })));
    const rows = await db.select().from(b2bReferrals).where(eq(b2bReferrals.practiceEmail, base.practiceEmail));
    expect(rows).toHaveLength(20);
    const primaries = rows.filter((r) => r.duplicateOfId === null);
    expect(primaries).toHaveLength(1);
    const primary = primaries[0];
    for (const dup of rows.filter((r) => r !== primary)) {
      expect(dup.status).toBe("duplicate");
      expect(dup.duplicateOfId).toBe(primary?.id);
      expect(dup.flags.map((f) => f.kind)).toContain("already_referred");
    }
    // Only the primary owns identities.
    const owners = await db.selectDistinct({ id: practiceIdentities.referralId }).from(practiceIdentities).innerJoin(b2bReferrals, eq(b2bReferrals.id, practiceIdentities.referralId)).where(eq(b2bReferrals.practiceEmail, base.practiceEmail));
    expect(owners).toEqual([{ id: primary?.id }]);
  });

  it("a later submission matching only by phone is a duplicate of the first", async () => {
    const first = await submitPractice(db);
    const second = await submitPractice(db, { practicePhone: first.input.practicePhone.replace(/\D/g, ""), referrerEmail: "other@elsewhere.example" });
    expect(second.referral.status).toBe("duplicate");
    expect(second.referral.duplicateOfId).toBe(first.referral.id);
  });

  it("flags a customer matched by website domain under a different name, with the evidence", async () => {
    await saveCustomer(asPlatform(), { name: "Northgate Orthodontics", website: "northgate-ortho.example", phone: "", postalCode: "60601", country: "US", status: "active", billingCycle: "monthly", nextBillingDate: null, renewalDate: null });
    const { referral } = await submitPractice(db, { practiceName: "NG Braces Studio", website: "https://www.northgate-ortho.example/contact" });
    expect(referral.status).toBe("submitted");
    expect(referral.flags).toContainEqual({ kind: "existing_customer", evidence: 'Matches customer "Northgate Orthodontics" by website domain northgate-ortho.example.' });
  });

  it("flags a former customer, an active prospect, a practice abroad and the referrer's own domain", async () => {
    await saveCustomer(asPlatform(), { name: "Old Oak Dental", website: "", phone: "(303) 555-0111", postalCode: "80202", country: "US", status: "former", billingCycle: "monthly", nextBillingDate: null, renewalDate: null });
    await saveProspect(asPlatform(), { name: "Pine Ridge Vision", website: "pineridge.example", phone: "", postalCode: "97201", country: "US", status: "active", owner: "Lee" });
    await saveProspect(asPlatform(), { name: "Closed Deal Clinic", website: "closeddeal.example", phone: "", postalCode: "97201", country: "US", status: "closed", owner: "" });
    const kinds = async (o: Parameters<typeof submitPractice>[1]) => (await submitPractice(db, o)).referral.flags.map((f) => f.kind);
    expect(await kinds({ practicePhone: "303.555.0111" })).toEqual(["previous_customer"]);
    expect(await kinds({ website: "pineridge.example" })).toEqual(["active_prospect"]);
    expect(await kinds({ website: "closeddeal.example" })).toEqual([]);
    expect(await kinds({ country: "OTHER", region: "", postalCode: "2000", practicePhone: "+61 2 9374 4000" })).toEqual(["out_of_area"]);
    expect(await kinds({ referrerEmail: "me@samehost-dental.example", practiceEmail: "front@samehost-dental.example" })).toEqual(["same_email_domain"]);
    // A shared mail host is no one's identity.
    expect(await kinds({ referrerEmail: "me@gmail.com", practiceEmail: "front.desk@gmail.com" })).toEqual([]);
  });

  it("a program for customers only refuses others and accepts their staff", async () => {
    const PLATFORM = staffActor((await userByEmail(db, "platform@demo.test")).id, null);
    await updateB2bProgram(platformCtx(db, PLATFORM), { rewardPlan: "recurring_share", flatCreditCents: 50_000, shareBasisPoints: 1_000, shareMonths: 24, audience: "customers_only" });
    try {
      const error = await submitError(practiceReferralInput({ referrerEmail: "stranger@nowhere.example" }), "198.51.100.9");
      expect(error.code).toBe("FORBIDDEN");
      const admin = await userByEmail(db, "admin@demo.test");
      // The seed makes the demo clinic a customer, linked to its clinic.
      const result = await callerAs(db, admin.id, {}, { ipHash: "198.51.100.9", deviceHash: null }).partner.submit(practiceReferralInput({ referrerEmail: "admin@demo.test" }));
      expect(result.token).toBeTruthy();
      const [referrer] = await db.select().from(partnerReferrers).where(eq(partnerReferrers.email, "admin@demo.test"));
      expect(referrer?.customerId).not.toBeNull();
    } finally {
      await updateB2bProgram(platformCtx(db, PLATFORM), { rewardPlan: "recurring_share", flatCreditCents: 50_000, shareBasisPoints: 1_000, shareMonths: 24, audience: "anyone" });
    }
  });
});

describe("rule B4: the partner program's terms", () => {
  it("a platform admin's new terms version goes to later submissions; earlier ones keep theirs", async () => {
    const platform = callerAs(db, (await userByEmail(db, "platform@demo.test")).id);
    const before = await submitPractice(db, { website: "terms-before.example" });
    const original = await platform.platformB2b.program();
    await expect(platform.platformB2b.updateProgram({ ...original, termsVersion: " " })).rejects.toThrow("Name the terms version, like 2026-01.");
    try {
      await platform.platformB2b.updateProgram({ ...original, termsVersion: "2027-01" });
      const after = await submitPractice(db, { website: "terms-after.example" });
      expect(after.referral.termsVersion).toBe("2027-01");
      const [kept] = await db.select({ termsVersion: b2bReferrals.termsVersion }).from(b2bReferrals).where(eq(b2bReferrals.id, before.referral.id));
      expect(kept?.termsVersion).toBe(original.termsVersion);
    } finally {
      await platform.platformB2b.updateProgram(original);
    }
  });
});

describe("rule B5: confirmation and status link", () => {
  it("queues the confirmation with the link to the referrer's own address only", async () => {
    const { referral } = await submitPractice(db, { referrerEmail: "Casey@Referrer.example" });
    const messages = await db.select().from(outboxMessages).where(eq(outboxMessages.referralId, referral.id));
    expect(messages).toHaveLength(1);
    expect(messages[0]?.to).toBe("casey@referrer.example");
    expect(messages[0]?.status).toBe("pending");
    const token = /\/partners\/status\/([\w-]+)/.exec(deliverableBody(messages[0] ?? { body: "", sealedLink: null }))?.[1] ?? "";
    const page = await callerAs(db, null).partner.status({ token });
    expect(page.scope).toBe("referrer");
    expect(page.referrals.map((r) => r.id)).toEqual([referral.id]);
  });

  it("a token shows every referral of its referrer and none of anyone else's", async () => {
    const mine1 = await submitPractice(db, { referrerEmail: "robin@one.example" });
    const mine2 = await submitPractice(db, { referrerEmail: "robin@one.example" });
    const theirs = await submitPractice(db, { referrerEmail: "kim@two.example" });
    const page = await callerAs(db, null).partner.status({ token: mine1.emailedToken });
    expect(page.referrals.map((r) => r.id).sort()).toEqual([mine1.referral.id, mine2.referral.id].sort());
    expect(JSON.stringify(page)).not.toContain(theirs.referral.practiceName);
    expect(JSON.stringify(page)).not.toContain("kim@two.example");
    // The second confirmation email's link works too: links sent earlier stay valid.
    expect((await callerAs(db, null).partner.status({ token: mine2.emailedToken })).referrals).toHaveLength(2);
    // The link shown on a confirmation page is that submission's alone.
    expect((await callerAs(db, null).partner.status({ token: mine2.token })).referrals.map((r) => r.id)).toEqual([mine2.referral.id]);
  });

  it("an unknown token is not found", async () => {
    const error = await callerAs(db, null).partner.status({ token: "A".repeat(43) }).catch((e: unknown) => e);
    expect((error as TRPCError).code).toBe("NOT_FOUND");
  });

  it("re-sends a fresh link to the referrer's address, and says the same for an unknown address", async () => {
    const { referral } = await submitPractice(db, { referrerEmail: "jules@resend.example" });
    const caller = callerAs(db, null, {}, { ipHash: "198.51.100.20", deviceHash: null });
    expect(await caller.partner.resendLink({ email: "JULES@resend.example" })).toEqual({ ok: true });
    expect(await caller.partner.resendLink({ email: "nobody@resend.example" })).toEqual({ ok: true });
    const sent = await db.select().from(outboxMessages).where(eq(outboxMessages.kind, "b2b_status_link"));
    expect(sent.map((m) => m.to)).toEqual(["jules@resend.example"]);
    const token = /status\/([\w-]+)/.exec(deliverableBody(sent[0] ?? { body: "", sealedLink: null }))?.[1] ?? "";
    expect((await caller.partner.status({ token })).referrals.map((r) => r.id)).toEqual([referral.id]);
  });

  it("a duplicate gives back the identities it claimed: a later practice sharing only those is no duplicate", async () => {
    const first = await submitPractice(db);
    // Shares the phone with the first, and brings a website and email of its own.
    const second = await submitPractice(db, { practicePhone: first.input.practicePhone, referrerEmail: "lee@third.example" });
    expect(second.referral.duplicateOfId).toBe(first.referral.id);
    expect(await db.select().from(practiceIdentities).where(eq(practiceIdentities.referralId, second.referral.id))).toEqual([]);
    // A third practice with the duplicate's website and email, but its own phone, name and address.
    const third = await submitPractice(db, { website: second.input.website, practiceEmail: second.input.practiceEmail, referrerEmail: "max@fourth.example" });
    expect(third.referral).toMatchObject({ status: "submitted", duplicateOfId: null });
    expect((await db.select().from(practiceIdentities).where(eq(practiceIdentities.referralId, third.referral.id))).length).toBeGreaterThan(0);
  });

  it("a submission refused inside its transaction leaves nothing behind: no referrer, referral, identity or message", async () => {
    const sent = await submitPractice(db);
    const tables = [b2bReferrals, partnerReferrers, practiceIdentities, outboxMessages] as const;
    const counts = () => Promise.all(tables.map(async (t) => (await db.select({ n: count() }).from(t))[0]?.n ?? 0));
    const before = await counts();
    // The same form key from someone else: refused after the new referrer was already written.
    const error = await submitError(practiceReferralInput({ idempotencyKey: sent.input.idempotencyKey, referrerEmail: "someone-else@nowhere.example" }), "198.51.100.30");
    expect(error.code).toBe("CONFLICT");
    expect(await counts()).toEqual(before);
    expect(await db.select().from(partnerReferrers).where(eq(partnerReferrers.email, "someone-else@nowhere.example"))).toEqual([]);
  });
});
