import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import { sessionUserId } from "@/server/auth/config";
import { homeFor, type Role } from "@/server/auth/roles";
import { getDb } from "@/server/db";
import { env } from "@/server/env";
import { loadActor } from "@/server/services/accounts";
import { secondFactorMissing } from "@/server/services/two-factor";

/** The signed-in user while their session stands (rule N6), read from the database once per request. */
export const currentActor = cache(async () => {
  const userId = await sessionUserId();
  return userId ? loadActor(await getDb(), userId) : undefined;
});

/** Where an account sets its password, sessions and second factor; open before a required second factor exists. */
export const SECURITY_PATH = "/security";

/**
 * For layouts: sends visitors without the role, or whose session ended, elsewhere; staff who
 * still need a second factor go to set it up. A comfort only; every procedure checks again.
 */
export async function requireActor(roles: readonly Role[]) {
  const actor = await currentActor();
  if (!actor) redirect("/signin");
  if (!roles.includes(actor.role)) redirect(homeFor(actor.role));
  if (actor.role !== "patient" && (await secondFactorMissing(await getDb(), actor.id, { platform: env.NODE_ENV === "production" }))) {
    redirect(`${SECURITY_PATH}?enrol=required`);
  }
  return actor;
}
