import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@/db/client";
import { partnerStatusTokens, type STATUS_TOKEN_SCOPES } from "@/db/schema";

/** Rule B5: 256 random bits; only the hash is kept, so a database leak gives away no link. */
export const newToken = () => randomBytes(32).toString("base64url");
export const hashToken = (token: string) => createHash("sha256").update(`b2b-status:${token}`).digest("hex");

/**
 * A `referrer` link shows everything the referrer made and is only ever emailed to their address;
 * a `submission` link shows one submission, to whoever sent it (item 8 of issue 7).
 */
export async function issueStatusToken(tx: Db, input: { referrerId: string; scope: (typeof STATUS_TOKEN_SCOPES)[number]; referralId: string | null }): Promise<string> {
  const token = newToken();
  await tx.insert(partnerStatusTokens).values({ tokenHash: hashToken(token), ...input });
  return token;
}

/** The status page a token opens (rule B5): the token is the only key, so it travels apart from the message body. */
export const statusPath = (token: string) => `/partners/status/${token}`;
