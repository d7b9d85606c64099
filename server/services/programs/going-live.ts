import type { ServiceContext } from "@/server/kernel/context";
import { ACCEPT_BAA_FIRST } from "@/server/schemas/baa";
import { CONFIRM_EMAIL_FIRST } from "@/server/schemas/clinic-onboarding";
import { hasAcceptedBaa } from "@/server/services/clinics/baa";
import { DomainError } from "@/server/kernel/errors";
import { hasVerifiedAdmin } from "@/server/messaging/gate";

/**
 * Issue 13, rule P1: a clinic's admin turns the program on only once an admin's email is
 * confirmed, so a practice that signed itself up with someone else's address never invites
 * patients. Only the emailed verification link (or a reset link) confirms an address; accepting
 * an invitation does not (issue 19), since the inviter sees its link. Seeded admins pass. A
 * platform admin resuming a paused clinic is not held to it (clinic-onboarding.ts).
 */
export async function requireVerifiedAdmin(ctx: ServiceContext): Promise<void> {
  if (!(await hasVerifiedAdmin(ctx.db, ctx.clinicId))) throw new DomainError("precondition", CONFIRM_EMAIL_FIRST, "enabled");
}

/**
 * Issue 19: the platform is the clinic's business associate, so no patient data flows under the
 * clinic's program until one of its admins accepted the agreement's version in force. Held for
 * every way of going live, the platform's own resume included: nobody else can sign for a clinic.
 */
export async function requireAcceptedBaa(ctx: ServiceContext): Promise<void> {
  if (!(await hasAcceptedBaa(ctx))) throw new DomainError("precondition", ACCEPT_BAA_FIRST, "enabled");
}
