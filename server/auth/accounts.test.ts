import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { programs, referralCodes, referrals, users } from "@/db/schema";
import { createTestDb, itConcurrently } from "@/server/testing/db";
import { callerAs, clinicOf, codeOf, DEMO_SLUG, key, signUpPatient, userByEmail } from "@/server/testing/fixtures";
import { CODE_ALPHABET, CODE_LENGTH } from "@/server/services/referrals/codes";
import { getProgram } from "@/server/services/programs/programs";
import { attributionCookieName } from "@/server/services/referrals/referrals";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let referrer: Awaited<ReturnType<typeof userByEmail>>;
let referrerCode: string;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  referrer = await userByEmail(db, "patient@demo.test");
  referrerCode = await codeOf(db, referrer.id);
});
afterAll(() => handle.drop());

const form = (overrides: Record<string, unknown> = {}) => ({
  clinicSlug: DEMO_SLUG,
  firstName: "Dana",
  lastName: "Lopez",
  email: `dana-${key()}@example.com`,
  phone: "",
  password: "a-good-password-9",
  referralCode: "",
  ...overrides,
});

async function referralOf(email: string) {
  const [row] = await db
    .select({ referral: referrals })
    .from(referrals)
    .innerJoin(users, eq(users.id, referrals.refereeId))
    .where(eq(users.email, email.toLowerCase()));
  return row?.referral;
}

async function countUsers() {
  return (await db.select({ id: users.id }).from(users)).length;
}

describe("rule P2: every patient has a code from the first moment", () => {
  it("issues one unguessable code, from the safe alphabet, at sign-up", async () => {
    const { userId } = await signUpPatient(db);
    const codes = await db.select().from(referralCodes).where(eq(referralCodes.patientId, userId));
    expect(codes).toHaveLength(1);
    const code = codes[0]?.code ?? "";
    expect(code).toHaveLength(CODE_LENGTH);
    expect([...code].filter((c) => !CODE_ALPHABET.includes(c))).toEqual([]);
    expect(Math.log2(CODE_ALPHABET.length) * CODE_LENGTH).toBeGreaterThanOrEqual(40);
    expect(CODE_ALPHABET).not.toMatch(/[01OILSZB5 82]/);
  });

  it("gives different patients different codes", async () => {
    const made = await Promise.all(Array.from({ length: 20 }, () => signUpPatient(db)));
    const codes = await Promise.all(made.map((m) => codeOf(db, m.userId)));
    expect(new Set(codes).size).toBe(20);
  });
});

describe("rule P5: sign-up links the referee, then and only then", () => {
  it("links through the attribution cookie, and records it as coming from the link", async () => {
    const input = form({ referralCode: referrerCode.toLowerCase() });
    await callerAs(db, null, { [attributionCookieName(DEMO_SLUG)]: referrerCode }).account.signUp(input);
    expect(await referralOf(input.email)).toMatchObject({ referrerId: referrer.id, source: "link", status: "signed_up" });
  });

  it("links a typed code, spaces and case forgiven", async () => {
    const input = form({ referralCode: ` ${referrerCode.slice(0, 5)} ${referrerCode.slice(5).toLowerCase()} ` });
    await callerAs(db, null).account.signUp(input);
    expect(await referralOf(input.email)).toMatchObject({ referrerId: referrer.id, source: "typed_code" });
  });

  it("keeps the reward terms in force at sign-up (rule P14)", async () => {
    const input = form({ referralCode: referrerCode });
    await callerAs(db, null).account.signUp(input);
    const referral = await referralOf(input.email);
    const clinic = await clinicOf(db, DEMO_SLUG);
    expect(referral?.programVersionId).toBe((await getProgram({ db, clinicId: clinic.id })).version.id);
  });

  it("makes no referral for a patient who signed up without a code", async () => {
    const input = form();
    await callerAs(db, null).account.signUp(input);
    expect(await referralOf(input.email)).toBeUndefined();
  });
});

describe("rule N4: bad input at sign-up is explained and changes nothing", () => {
  async function refused(input: ReturnType<typeof form>, cookies: Record<string, string> = {}) {
    const before = await countUsers();
    const error = await callerAs(db, null, cookies).account.signUp(input).catch((e: unknown) => e);
    expect(await countUsers()).toBe(before);
    expect(error).toBeInstanceOf(TRPCError);
    return error as TRPCError;
  }

  it("an invalid email", async () => {
    const error = await refused(form({ email: "dana@example" }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(/valid email/i);
  });

  it("a weak password", async () => {
    expect((await refused(form({ password: "short1" }))).message).toMatch(/at least 10 characters/);
    expect((await refused(form({ password: "onlyletterslong" }))).message).toMatch(/letters and numbers or symbols/);
  });

  it("an unknown code", async () => {
    const error = await refused(form({ referralCode: "ACDEFGHJKM" }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(/couldn't find the referral code/);
  });

  it("a rotated code stops attributing (rule P2)", async () => {
    const { userId } = await signUpPatient(db);
    const old = await codeOf(db, userId);
    await db.update(referralCodes).set({ rotatedAt: new Date() }).where(eq(referralCodes.code, old));
    const error = await refused(form({ referralCode: old }), { [attributionCookieName(DEMO_SLUG)]: old });
    expect(error.message).toMatch(/no longer active/);
  });

  it("a sign-up sent twice makes one account", async () => {
    const input = form({ referralCode: referrerCode });
    const first = await callerAs(db, null).account.signUp(input);
    // Rule N6: the second answer is the first one; nothing says the account existed.
    expect(await callerAs(db, null).account.signUp(input)).toEqual(first);
    expect(await db.select().from(users).where(eq(users.email, input.email))).toHaveLength(1);
  });

  itConcurrently("a double-submitted sign-up whose requests arrive at once makes one account", async () => {
    const input = form({ referralCode: referrerCode });
    const results = await Promise.allSettled([1, 2, 3].map(() => callerAs(db, null).account.signUp(input)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    expect(await db.select().from(users).where(eq(users.email, input.email))).toHaveLength(1);
  });
});

describe("rule P1: a paused program makes no referrals", () => {
  it("creates the account, ignores the code and says why", async () => {
    const clinic = await clinicOf(db, DEMO_SLUG);
    await db.update(programs).set({ enabled: false }).where(eq(programs.clinicId, clinic.id));
    try {
      const input = form({ referralCode: referrerCode });
      const result = await signUpPatient(db, { email: input.email, code: referrerCode });
      expect(result).toMatchObject({ referralId: null });
      expect(result.notice).toMatch(/paused/);
      expect(await referralOf(input.email)).toBeUndefined();
    } finally {
      await db.update(programs).set({ enabled: true }).where(eq(programs.clinicId, clinic.id));
    }
  });
});

describe("rule P6: who earns nothing, and why", () => {
  it("self-referral: the referrer's own mailbox, however it is written", async () => {
    const { userId } = await signUpPatient(db, { email: "jane.doe@gmail.com" });
    const code = await codeOf(db, userId);
    const input = form({ email: "JaneDoe+friend@googlemail.com", referralCode: code });
    await callerAs(db, null).account.signUp(input);
    expect(await referralOf(input.email)).toMatchObject({ status: "ineligible", ineligibleReason: "self_referral" });
  });

  it("self-referral: the referrer's own phone", async () => {
    const input = form({ phone: "(555) 555-0101", referralCode: referrerCode });
    await callerAs(db, null).account.signUp(input);
    expect(await referralOf(input.email)).toMatchObject({ status: "ineligible", ineligibleReason: "self_referral" });
  });

  it("a referee who already was a patient of the clinic", async () => {
    const input = form({ phone: "+1 555 555 0102", referralCode: referrerCode });
    await callerAs(db, null).account.signUp(input);
    expect(await referralOf(input.email)).toMatchObject({ status: "ineligible", ineligibleReason: "existing_patient" });
  });

  it("a disabled referrer", async () => {
    const { userId } = await signUpPatient(db);
    await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, userId));
    const input = form({ referralCode: await codeOf(db, userId) });
    await callerAs(db, null).account.signUp(input);
    expect(await referralOf(input.email)).toMatchObject({ status: "ineligible", ineligibleReason: "referrer_disabled" });
  });

  it("staff see the reason in the console", async () => {
    // Its own already-a-patient referral, so the test stands alone.
    const phone = `+1 555 ${String(Date.now()).slice(-7)}`;
    await signUpPatient(db, { phone });
    const input = form({ phone, referralCode: referrerCode });
    await callerAs(db, null).account.signUp(input);
    const referral = await referralOf(input.email);
    expect(referral).toMatchObject({ status: "ineligible", ineligibleReason: "existing_patient" });
    const staff = await userByEmail(db, "staff@demo.test");
    const { rows } = await callerAs(db, staff.id).clinic.referrals({ page: 1 });
    expect(rows.find((r) => r.id === referral?.id)).toMatchObject({ status: "ineligible", ineligibleReason: "existing_patient" });
  });
});
