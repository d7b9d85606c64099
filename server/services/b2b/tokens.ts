import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@/db/client";
import { partnerStatusTokens } from "@/db/schema";

/** Rule B5: 256 random bits; only the hash is kept, so a database leak gives away no link. */
export const newToken = () => randomBytes(32).toString("base64url");
export const hashToken = (token: string) => createHash("sha256").update(`b2b-status:${token}`).digest("hex");

export async function issueStatusToken(tx: Db, referrerId: string): Promise<string> {
  const token = newToken();
  await tx.insert(partnerStatusTokens).values({ tokenHash: hashToken(token), referrerId });
  return token;
}
