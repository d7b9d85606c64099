import { desc, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { outboxMessages } from "@/db/schema";
import { env } from "@/server/env";

/** The address a person types to reach the app; links in messages start with it. */
export const appUrl = (path: string) => `${env.APP_URL.replace(/\/$/, "")}${path}`;

export const statusPath = (token: string) => `/partners/status/${token}`;

/** Written in the caller's transaction, so a message exists exactly when its event does (A3). */
export async function enqueueMessage(
  tx: Db,
  message: { kind: string; to: string; subject: string; body: string; clinicId?: string | null; referralId?: string | null; referrerId?: string | null },
): Promise<void> {
  await tx.insert(outboxMessages).values(message);
}

export async function listMessages(db: Db, input: { limit: number }) {
  return db.select().from(outboxMessages).where(isNull(outboxMessages.clinicId)).orderBy(desc(outboxMessages.createdAt), desc(outboxMessages.id)).limit(input.limit);
}
