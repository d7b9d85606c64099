import { createHash, randomBytes } from "node:crypto";
import { partnerStatusTokens, type STATUS_TOKEN_SCOPES } from "@/db/schema";
import type { ServiceContext } from "@/server/kernel/context";

/** Rule B5: 256 random bits; only the hash is kept, so a database leak gives away no link. */
export const newToken = () => randomBytes(32).toString("base64url");
export const hashToken = (token: string) => createHash("sha256").update(`b2b-status:${token}`).digest("hex");

/**
 * A `referrer` link shows everything the referrer made and is only ever emailed to their address;
 * a `submission` link shows one submission, to whoever sent it (item 8 of issue 7). The database
 * alone: links are issued by the public form and the public "send me my link" page too.
 */
export async function issueStatusToken(ctx: Pick<ServiceContext, "db">, input: { referrerId: string; scope: (typeof STATUS_TOKEN_SCOPES)[number]; referralId: string | null }): Promise<string> {
  const token = newToken();
  await ctx.db.insert(partnerStatusTokens).values({ tokenHash: hashToken(token), ...input });
  return token;
}

/** The status page a token opens (rule B5): the token is the only key, so it travels apart from the message body. */
export const statusPath = (token: string) => `/partners/status/${token}`;
