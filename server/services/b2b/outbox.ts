import { desc, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { outboxMessages } from "@/db/schema";
import { env } from "@/server/env";
import { seal, unseal, type SealPurpose } from "../sealed";

/** The address a person types to reach the app; links in messages start with it. */
export const appUrl = (path: string) => `${env.APP_URL.replace(/\/$/, "")}${path}`;

export const statusPath = (token: string) => `/partners/status/${token}`;

/** Where a message's private link goes in its body; the link itself is stored sealed. */
export const LINK_PLACEHOLDER = "{{private_link}}";
const HIDDEN_LINK = "[private link, visible only to the recipient]";
// Rows written before links were sealed still hold them in the body; they are never shown either.
const RAW_STATUS_LINK = /\S*\/partners\/status\/[\w-]{20,}/g;

type Message = { kind: string; to: string; subject: string; body: string; clinicId?: string | null; referralId?: string | null; referrerId?: string | null };
type OutboxRow = typeof outboxMessages.$inferSelect;

// Moved to the shared helper with the same key, so links already queued still open.
const OUTBOX_LINK: SealPurpose = { salt: "outbox", info: "outbox-private-link-v1" };

/** AES-256-GCM under a key derived from the app secret: staff reading the table see no usable link. */
export const sealLink = (link: string): string => seal(OUTBOX_LINK, link);
const openLink = (sealed: string): string => unseal(OUTBOX_LINK, sealed);

/**
 * Written in the caller's transaction, so a message exists exactly when its event does (A3).
 * A private link (a status link, rule B5) is passed apart from the body, which names it by
 * LINK_PLACEHOLDER: only the sender, at delivery, puts it back (item 12 of issue 7).
 */
export async function enqueueMessage(tx: Db, message: Message & { privateLink?: string }): Promise<void> {
  const { privateLink, ...row } = message;
  if (privateLink && !row.body.includes(LINK_PLACEHOLDER)) throw new Error("a message with a private link must place it with LINK_PLACEHOLDER");
  await tx.insert(outboxMessages).values({ ...row, sealedLink: privateLink ? sealLink(privateLink) : null });
}

/** The body as the recipient gets it, private link included: for the sender only. */
export function deliverableBody(row: Pick<OutboxRow, "body" | "sealedLink">): string {
  return row.sealedLink ? row.body.replaceAll(LINK_PLACEHOLDER, openLink(row.sealedLink)) : row.body;
}

const shownBody = (body: string) => body.replaceAll(LINK_PLACEHOLDER, HIDDEN_LINK).replace(RAW_STATUS_LINK, HIDDEN_LINK);

/** The platform's message log: what was queued, never a recipient's private link. */
export async function listMessages(db: Db, input: { limit: number }) {
  const rows = await db
    .select({ id: outboxMessages.id, kind: outboxMessages.kind, to: outboxMessages.to, subject: outboxMessages.subject, body: outboxMessages.body, status: outboxMessages.status, createdAt: outboxMessages.createdAt })
    .from(outboxMessages)
    .where(isNull(outboxMessages.clinicId))
    .orderBy(desc(outboxMessages.createdAt), desc(outboxMessages.id))
    .limit(input.limit);
  return rows.map((row) => ({ ...row, body: shownBody(row.body) }));
}
