import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { referrals } from "@/db/schema";
import { createTestDb } from "@/server/testing/db";
import { callerAs, codeOf, DEMO_SLUG, key, signUpPatient, userByEmail } from "@/server/testing/fixtures";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
});
afterAll(() => handle.drop());

describe("item 9 of issue 7: the referrer's portal does not tell who is already a patient", () => {
  it("a sign-up with an existing patient's phone reads to the referrer like any sign-up; staff keep the reason", async () => {
    const { userId: referrerId } = await signUpPatient(db, { firstName: "Probe" });
    const code = await codeOf(db, referrerId);
    // Jordan (patient2@demo.test) is on the clinic's books with this phone.
    const probe = await signUpPatient(db, { code, phone: "+1 555 555 0102", firstName: "Jordan" });
    const fresh = await signUpPatient(db, { code, firstName: "Fresh" });

    const [stored] = await db.select().from(referrals).where(eq(referrals.id, probe.referralId ?? ""));
    expect(stored).toMatchObject({ status: "ineligible", ineligibleReason: "existing_patient" });

    const seen = await callerAs(db, referrerId).portal.referrals();
    const shown = (id: string | null) => {
      const row = seen.find((r) => r.id === id);
      if (!row) throw new Error("referral not listed");
      const { id: _id, refereeName: _name, createdAt: _at, ...rest } = row;
      return rest;
    };
    expect(JSON.stringify(seen)).not.toContain("existing_patient");
    // Nothing but the name and the time tells the probe from a new patient.
    expect(shown(probe.referralId)).toEqual(shown(fresh.referralId));

    const admin = await userByEmail(db, "admin@demo.test");
    const console = await callerAs(db, admin.id).clinic.referrals({ page: 1 });
    expect(console.rows.find((r) => r.id === probe.referralId)).toMatchObject({ status: "ineligible", ineligibleReason: "existing_patient" });
  });
});

describe("rule P15: the referrer sees each referee as first name and last initial, in the procedure's own output", () => {
  it("portal.referrals names the friend 'Zoë V.' and carries nothing else of theirs", async () => {
    const { userId: referrerId } = await signUpPatient(db);
    const email = `zoe-${key()}@example.com`;
    const phone = `+1 555 ${String(Date.now()).slice(-7)}`;
    await callerAs(db, null).account.signUp({
      clinicSlug: DEMO_SLUG,
      firstName: "  Zoë ",
      lastName: " van der Berg",
      email,
      phone,
      password: "a-good-password-9",
      referralCode: await codeOf(db, referrerId),
    });
    const referee = await userByEmail(db, email);

    const seen = await callerAs(db, referrerId).portal.referrals();
    expect(seen).toHaveLength(1);
    expect(seen[0]?.refereeName).toBe("Zoë V.");
    expect(Object.keys(seen[0] ?? {}).sort()).toEqual(["createdAt", "id", "ineligibleReason", "qualifiedAt", "qualifyingEvent", "referrerReward", "refereeName", "status", "underReview"].sort());
    const text = JSON.stringify(seen);
    for (const secret of ["van der Berg", "Berg", email, phone.replace(/\D/g, "").slice(-7), referee.id]) expect(text, secret).not.toContain(secret);
  });
});
