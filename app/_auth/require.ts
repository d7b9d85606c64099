import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import { sessionUserId } from "@/server/auth/config";
import { homeFor, type Role } from "@/server/auth/roles";
import { getDb } from "@/server/db";
import { loadActor } from "@/server/services/accounts";

/** The signed-in user, read from the database once per request. */
export const currentActor = cache(async () => {
  const userId = await sessionUserId();
  return userId ? loadActor(await getDb(), userId) : undefined;
});

/**
 * For layouts: sends visitors without the role elsewhere. A comfort only; every procedure
 * checks role and clinic again.
 */
export async function requireActor(roles: readonly Role[]) {
  const actor = await currentActor();
  if (!actor) redirect("/signin");
  if (!roles.includes(actor.role)) redirect(homeFor(actor.role));
  return actor;
}
