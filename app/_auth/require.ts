import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import { sessionRef, sessionUserId } from "@/server/auth/config";
import { authorize, type SignedInAudience } from "@/server/auth/guard";
import { homeFor } from "@/server/auth/roles";
import { getDb } from "@/server/db";
import { loadActor } from "@/server/auth/accounts";

/** The signed-in user while their session stands (rule N6), read from the database once per request. */
export const currentActor = cache(async () => {
  const userId = await sessionUserId();
  return userId ? loadActor(await getDb(), userId) : undefined;
});

/** Where an account sets its password, sessions and second factor; open before a required second factor exists. */
export const SECURITY_PATH = "/security";

/**
 * For layouts: the one guard (server/auth/guard.ts), its refusals turned into redirects: signed
 * out to sign-in, the wrong role home, a missing second factor to set it up. A comfort only;
 * every procedure and file route checks again.
 */
export async function requireActor(audience: SignedInAudience) {
  const result = await authorize(await getDb(), await sessionRef(), audience);
  if (result.ok) return result.user;
  if (result.reason === "second_factor") redirect(`${SECURITY_PATH}?enrol=required`);
  if (result.reason === "role" && result.role) redirect(homeFor(result.role));
  redirect("/signin");
}
