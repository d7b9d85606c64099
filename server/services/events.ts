import type { Db } from "@/db/client";
import { activityEvents } from "@/db/schema";

export type NewEvent = typeof activityEvents.$inferInsert;

/** Rule C2: appends to the clinic's referral timeline, in the caller's transaction. */
export async function recordEvents(tx: Db, events: NewEvent[]): Promise<void> {
  if (events.length) await tx.insert(activityEvents).values(events);
}
