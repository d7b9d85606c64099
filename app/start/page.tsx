import { redirect } from "next/navigation";
import { currentActor } from "@/app/_auth/require";
import { homeFor } from "@/server/auth/roles";

/** Where sign-in lands: each role's own home. */
export default async function Start() {
  const actor = await currentActor();
  redirect(actor ? homeFor(actor.role) : "/signin");
}
