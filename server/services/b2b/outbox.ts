import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { desc, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { outboxMessages } from "@/db/schema";
import { authSecret, env } from "@/server/env";

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

const sealKey = () => Buffer.from(hkdfSync("sha256", authSecret(), "outbox", "outbox-private-link-v1", 32));

/** AES-256-GCM under a key derived from the app secret: staff reading the table see no usable link. */
export function sealLink(link: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", sealKey(), iv);
  const sealed = Buffer.concat([cipher.update(link, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), sealed.toString("base64url")].join(".");
}

function openLink(sealed: string): string {
  const [version, iv = "", tag = "", data = ""] = sealed.split(".");
  if (version !== "v1") throw new Error(`unknown sealed link version ${version}`);
  const decipher = createDecipheriv("aes-256-gcm", sealKey(), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}

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
