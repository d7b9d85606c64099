import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { outboxMessages, users } from "@/db/schema";
import { invitationByToken } from "@/server/services/clinics/invitations";
import { createTestDb } from "@/server/testing/db";
import { callerAs, clinicOf, DEMO_SLUG, signUpPatient, userByEmail } from "@/server/testing/fixtures";
import { tokenOf } from "@/server/testing/team";
import { requestPasswordReset, resetPassword, sendPortalInvitation } from "./account-links";
import { deliverableBody } from "@/server/messaging/store";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let clinicId = "";

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  clinicId = (await clinicOf(db, DEMO_SLUG)).id;
});
afterAll(() => handle.drop());

/** The token of the newest link of this kind emailed to this address, read as the mail carries it. */
async function newestLink(email: string, kind: "account.password_reset" | "patient.portal_invitation"): Promise<string> {
  const [row] = await db
    .select()
    .from(outboxMessages)
    .where(and(eq(outboxMessages.to, email), eq(outboxMessages.kind, kind)))
    .orderBy(desc(outboxMessages.createdAt), desc(outboxMessages.id))
    .limit(1);
  const token = /\/(?:reset|claim)\/([\w-]+)/.exec(deliverableBody(row ?? { body: "", sealedLink: null }))?.[1];
  if (!token) throw new Error(`no ${kind} link to ${email}`);
  return token;
}

async function resetLink(email: string) {
  await requestPasswordReset(db, { email, clinicId });
  return newestLink(email, "account.password_reset");
}

async function claimLink(userId: string) {
  const [account] = await db.select().from(users).where(eq(users.id, userId));
  if (!account) throw new Error("no such account");
  await db.transaction((tx) => sendPortalInvitation(tx, account));
  return newestLink(account.email, "patient.portal_invitation");
}

const used = "This reset link has expired or was already used. Ask for a new one.";

describe("issue 19: a new password retires every other reset, claim and invitation link of the account (rule N6)", () => {
  it("of two reset links, the one used works and the other then fails", async () => {
    const { email } = await signUpPatient(db);
    const first = await resetLink(email);
    const second = await resetLink(email);
    expect(first).not.toBe(second);
    await resetPassword(db, { token: second, newPassword: "a brand new passphrase" });
    await expect(resetPassword(db, { token: first, newPassword: "an attacker's passphrase" })).rejects.toThrow(used);
  });

  it("a password changed while signed in makes an earlier reset link and claim link fail", async () => {
    const { userId, email } = await signUpPatient(db);
    const reset = await resetLink(email);
    const claim = await claimLink(userId);
    await callerAs(db, userId).security.changePassword({ currentPassword: "a-good-password-9", newPassword: "a-newer-password-7" });
    await expect(resetPassword(db, { token: reset, newPassword: "an attacker's passphrase" })).rejects.toThrow(used);
    await expect(resetPassword(db, { token: claim, newPassword: "an attacker's passphrase" })).rejects.toThrow(used);
  });

  it("a claimed portal makes an earlier reset link fail", async () => {
    const { userId, email } = await signUpPatient(db);
    const reset = await resetLink(email);
    await resetPassword(db, { token: await claimLink(userId), newPassword: "my first passphrase" });
    await expect(resetPassword(db, { token: reset, newPassword: "an attacker's passphrase" })).rejects.toThrow(used);
  });

  it("a new password withdraws an open team invitation to the account's address at its clinic", async () => {
    const admin = await userByEmail(db, "admin@demo.test");
    const email = `invited-${Date.now()}@example.com`;
    const invitation = await callerAs(db, admin.id).team.invite({ email, role: "staff" });
    const { userId } = await signUpPatient(db, { email });
    expect((await invitationByToken({ db }, { token: tokenOf(invitation.path) }))?.state).toBe("pending");
    await callerAs(db, userId).security.changePassword({ currentPassword: "a-good-password-9", newPassword: "a-newer-password-7" });
    expect((await invitationByToken({ db }, { token: tokenOf(invitation.path) }))?.state).toBe("revoked");
  });
});
