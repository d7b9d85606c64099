import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { createTestDb } from "@/server/testing/db";
import { clinicOf, codeOf, DEMO_SLUG, firstService, key, SECOND_SLUG, signUpPatient, userByEmail } from "@/server/testing/fixtures";
import { clinicSummary } from "./console-summary";
import { recordPaidOrder } from "./orders";
import { platformClinics } from "./platform";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
});
afterAll(() => handle.drop());

describe("console overview and platform counts", () => {
  it("counts one clinic's referrals by status and the credit it issued (rule N1)", async () => {
    const demo = await clinicOf(db, DEMO_SLUG);
    const second = await clinicOf(db, SECOND_SLUG);
    const referrer = await userByEmail(db, "patient@demo.test");
    const code = await codeOf(db, referrer.id);
    const qualified = await signUpPatient(db, { code });
    await signUpPatient(db, { code });
    await signUpPatient(db, { code, phone: "15555550101" });
    const service = await firstService(db, demo.id);
    await recordPaidOrder(db, { clinicId: demo.id, patientId: qualified.userId, items: [{ serviceId: service.id, quantity: 1 }], idempotencyKey: key() });

    expect(await clinicSummary(db, demo.id)).toEqual({ signedUp: 1, qualified: 1, ineligible: 1, creditIssuedCents: 8000 });
    expect(await clinicSummary(db, second.id)).toEqual({ signedUp: 0, qualified: 0, ineligible: 0, creditIssuedCents: 0 });
  });

  it("lists every clinic on the platform with counts per clinic", async () => {
    const clinics = await platformClinics(db);
    const demo = clinics.find((c) => c.slug === DEMO_SLUG);
    const second = clinics.find((c) => c.slug === SECOND_SLUG);
    expect(demo).toMatchObject({ programEnabled: true, patientCount: 5, referralCount: 3 });
    expect(second).toMatchObject({ programEnabled: true, patientCount: 1, referralCount: 0 });
  });
});
