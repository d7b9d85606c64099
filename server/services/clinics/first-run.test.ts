import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { createTestDb } from "@/server/testing/db";
import { callerAs, key, userByEmail } from "@/server/testing/fixtures";
import { eq } from "drizzle-orm";
import { invitations, users } from "@/db/schema";
import { BAA_VERSION } from "@/server/schemas/baa";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
});
afterAll(() => handle.drop());

describe("issue 13: the first-run checklist", () => {
  it("a new clinic starts with every step to do; each turns done by what the clinic then has", async () => {
    const platform = callerAs(db, (await userByEmail(db, "platform@demo.test")).id);
    const email = `owner-${key()}@checklist.example`;
    const { clinicId } = await platform.platform.createClinic({ name: "Checklist Dental", slug: `check-${key().slice(5, 13).toLowerCase()}`, timeZone: "America/Denver", adminEmail: email });
    const invitation = await acceptInvitationFor(clinicId, email);
    const admin = callerAs(db, invitation);
    const state = async () => Object.fromEntries((await admin.dashboard.checklist()).map((s) => [s.id, s.done]));
    expect(await state()).toEqual({ profile: false, services: false, rewards: false, patients: false, agreement: false, live: false });

    await admin.clinic.updateProfile({ name: "Checklist Dental", brandColor: null, addressLine: "1 Main St", phone: "(303) 555-0100", website: "" });
    await admin.clinic.createService({ name: "Check-up", priceCents: 9_000 });
    await admin.patients.add({ firstName: "First", lastName: "Patient", email: `first-${key()}@checklist.example` });
    await admin.clinic.acceptBaa({ version: BAA_VERSION, accepted: true });
    const program = await admin.clinic.program();
    await admin.clinic.updateProgram({ ...program, enabled: true, refereeReward: { kind: "credit", amount: 2_500 } });
    expect(await state()).toEqual({ profile: true, services: true, rewards: true, patients: true, agreement: true, live: true });
  });
});

/** The clinic's first admin, as accepting the emailed invitation makes them (team.test.ts proves that path). */
async function acceptInvitationFor(clinicId: string, email: string): Promise<string> {
  const [row] = await db.select().from(invitations).where(eq(invitations.clinicId, clinicId));
  if (!row || row.email !== email) throw new Error("the clinic's admin was not invited");
  const [user] = await db.insert(users).values({ clinicId, role: "admin", email, emailNormalized: email, firstName: "Owner", lastName: "Test", emailVerifiedAt: new Date() }).returning({ id: users.id });
  if (!user) throw new Error("the admin was not created");
  return user.id;
}
