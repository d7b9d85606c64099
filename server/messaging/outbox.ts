import type { Db } from "@/db/client";
import { renderEmail } from "./render";
import { messageLog, queueMessage } from "./store";

const PLATFORM_SENDER = "Practice referral program";

type Message = { kind: string; to: string; subject: string; body: string; clinicId?: string | null; referralId?: string | null; referrerId?: string | null; recipientId?: string | null };

/**
 * A message written as finished text (the partner program's), kept in the message store and
 * delivered by the queue like every other (A3). A private link (a status link, rule B5) is
 * passed apart from the body, which names it by LINK_PLACEHOLDER: only the sender, at delivery,
 * puts it back (item 12 of issue 7).
 */
export async function enqueueMessage(tx: Db, message: Message & { privateLink?: string; senderName?: string }): Promise<void> {
  const { senderName, ...rest } = message;
  const { html } = await renderEmail({ subject: rest.subject, body: rest.body, vars: null, senderName: senderName ?? PLATFORM_SENDER, unsubscribe: false });
  await queueMessage(tx, { ...rest, clinicId: rest.clinicId ?? null, html });
}

/** The platform's message log: what was queued, never a recipient's private link. */
export async function listMessages(db: Db, input: { limit: number }) {
  const rows = await messageLog(db, { clinicId: null, limit: input.limit });
  return rows.map(({ id, kind, to, subject, body, status, createdAt }) => ({ id, kind, to, subject, body, status, createdAt }));
}
