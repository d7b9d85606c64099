import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { staffActor } from "@/server/events/actor";
import type { Db } from "@/db/client";
import { invitations } from "@/db/schema";
import { createTestDb } from "@/server/testing/db";
import { clinicOf, DEMO_SLUG, key, userByEmail } from "@/server/testing/fixtures";
import { tokenOf } from "@/server/testing/team";
import { registerPatient } from "@/server/services/patients/sign-up";
import { acceptInvitation, inviteMember } from "@/server/services/clinics/invitations";
import { hashPassword } from "./password";

// The real hash, counted: the point is how often the deliberately slow work runs.
vi.mock("./password", async (importOriginal) => {
  const real = await importOriginal<typeof import("./password")>();
  return { ...real, hashPassword: vi.fn(real.hashPassword) };
});

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let clinicId: string;
let adminId: string;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  clinicId = (await clinicOf(db, DEMO_SLUG)).id;
  adminId = (await userByEmail(db, "admin@demo.test")).id;
});
afterAll(() => handle.drop());
beforeEach(() => {
  vi.mocked(hashPassword).mockClear();
});

const fingerprint = { ipHash: null, deviceHash: null };
const signUp = (overrides: Record<string, string> = {}) => ({
  clinicSlug: DEMO_SLUG,
  firstName: "Kim",
  lastName: "Lee",
  email: `kim-${key()}@example.com`,
  password: "a-good-password-9",
  ...overrides,
});

describe("item 18: cheap checks come before the password hash", () => {
  it("a sign-up for an unknown clinic is refused without hashing; a taken email is hashed like a new one (rule N6)", async () => {
    await expect(registerPatient({ db }, { ...signUp({ clinicSlug: "no-such-clinic" }), attributionCode: null, fingerprint })).rejects.toMatchObject({ kind: "not_found" });
    expect(hashPassword).not.toHaveBeenCalled();

    await registerPatient({ db }, { ...signUp(), attributionCode: null, fingerprint });
    expect(hashPassword).toHaveBeenCalledTimes(1);
    // Issue 8: the same work, so the time taken does not tell that the email has an account here.
    await expect(registerPatient({ db }, { ...signUp({ email: "patient@demo.test" }), attributionCode: null, fingerprint })).resolves.toEqual({ created: false });
    expect(hashPassword).toHaveBeenCalledTimes(2);
  });

  it("an invitation that is unknown, revoked, expired or used is refused without hashing", async () => {
    const invite = async () => {
      const email = `inv-${key()}@example.com`;
      return { email, token: tokenOf((await inviteMember({ db, actor: staffActor(adminId, clinicId), clinicId }, { email, role: "staff" })).path) };
    };
    const member = { firstName: "Pat", lastName: "Rowe", password: "a-good-password-9" };

    const used = await invite();
    await acceptInvitation({ db }, { token: used.token, ...member });
    const revoked = await invite();
    await db.update(invitations).set({ revokedAt: new Date() }).where(eq(invitations.email, revoked.email));
    const expired = await invite();
    await db.update(invitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invitations.email, expired.email));
    vi.mocked(hashPassword).mockClear();

    for (const token of [used.token, revoked.token, expired.token, "A".repeat(43)]) {
      await expect(acceptInvitation({ db }, { token, ...member })).rejects.toMatchObject({ kind: expect.stringMatching(/not_found|precondition/) });
    }
    expect(hashPassword).not.toHaveBeenCalled();
  });
});
