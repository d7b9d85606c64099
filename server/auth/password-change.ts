import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { hashPassword, verifyPassword } from "./password";
import { retireAccountLinks, sendPasswordChanged } from "./account-links";
import { DomainError } from "@/server/kernel/errors";
import { endSessionsOf } from "./sessions";

/**
 * Rule N6: the current password proves it is the owner at the keyboard; the new one ends every
 * other session of the account at once and keeps the browser that made the change signed in.
 */
export async function changePassword(db: Db, input: { userId: string; sessionId: string | null; currentPassword: string; newPassword: string }) {
  const [user] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, input.userId));
  if (!user?.passwordHash || !(await verifyPassword(input.currentPassword, user.passwordHash)).ok) {
    throw new DomainError("invalid", "Your current password isn't right. Check it and try again.", "currentPassword");
  }
  if (input.currentPassword === input.newPassword) throw new DomainError("invalid", "Choose a new password that differs from the current one.", "newPassword");
  const previousHash = user.passwordHash;
  const passwordHash = await hashPassword(input.newPassword);
  return db.transaction(async (tx) => {
    // Conditional on the hash just checked: of two changes at once, only the first wins.
    const [changed] = await tx
      .update(users)
      .set({ passwordHash })
      .where(and(eq(users.id, input.userId), eq(users.passwordHash, previousHash)))
      .returning({ id: users.id, email: users.email, firstName: users.firstName, clinicId: users.clinicId });
    if (!changed) throw new DomainError("conflict", "Your password was changed a moment ago. Sign in again with the new one.", "currentPassword");
    await retireAccountLinks(tx, changed);
    const otherSessionsEnded = await endSessionsOf(tx, { userId: input.userId, keep: input.sessionId });
    await sendPasswordChanged(tx, changed);
    return { otherSessionsEnded };
  });
}
