import { randomUUID } from "node:crypto";
import type { Db } from "@/db/client";
import { staffActor } from "@/server/events/actor";
import { acceptInvitation, inviteMember } from "@/server/services/clinics/invitations";

export const tokenOf = (path: string) => path.replace("/invite/", "");

/** A new team member of the clinic, through the real invitation flow. */
export async function addMember(db: Db, input: { clinicId: string; adminId: string; role: "staff" | "admin"; firstName?: string }) {
  const email = `member-${randomUUID().slice(0, 8)}@example.com`;
  const { path } = await inviteMember({ db, actor: staffActor(input.adminId, input.clinicId), clinicId: input.clinicId }, { email, role: input.role });
  const { userId } = await acceptInvitation({ db }, { token: tokenOf(path), firstName: input.firstName ?? "Drew", lastName: "Lopez", password: "a-good-password-9" });
  return { userId, email };
}
