import { z } from "zod";
import { STAFF_ROLES } from "@/db/schema/team";
import { acceptInvitationInput, inviteInput, revokeInvitationInput, setDisabledInput, setRoleInput } from "@/server/schemas/team";
import { limitPerNetwork } from "@/server/kernel/rate-limit";
import { acceptInvitation, inviteMember, pendingInvitations, revokeInvitation } from "@/server/services/clinics/invitations";
import { setMemberDisabled, setMemberRole, teamMembers } from "@/server/services/clinics/team";
import { adminProcedure, publicProcedure, router } from "@/server/trpc";

const staffRole = z.enum(STAFF_ROLES);

/** Rule C5: admins manage the clinic's team; every change is audited in its transaction (C4). */
export const teamRouter = router({
  list: adminProcedure
    .output(
      z.object({
        members: z.array(
          z.object({ id: z.uuid(), firstName: z.string(), lastName: z.string(), email: z.string(), role: staffRole, disabledAt: z.date().nullable(), createdAt: z.date() }),
        ),
        invitations: z.array(
          z.object({
            id: z.uuid(),
            email: z.string(),
            role: staffRole,
            expiresAt: z.date(),
            expired: z.boolean(),
            createdAt: z.date(),
            invitedBy: z.object({ firstName: z.string(), lastName: z.string() }),
          }),
        ),
      }),
    )
    .query(async ({ ctx }) => {
      const [members, invitations] = await Promise.all([teamMembers(ctx.service), pendingInvitations(ctx.service)]);
      return { members, invitations };
    }),

  /** Returns the link's path for the admin to copy; the token is shown this once and never stored. */
  invite: adminProcedure
    .input(inviteInput)
    .output(z.object({ invitationId: z.uuid(), path: z.string(), expiresAt: z.date() }))
    .mutation(({ ctx, input }) => inviteMember(ctx.service, input)),

  revokeInvitation: adminProcedure
    .input(revokeInvitationInput)
    .output(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => revokeInvitation(ctx.service, input)),

  setRole: adminProcedure
    .input(setRoleInput)
    .output(z.object({ id: z.uuid(), role: staffRole }))
    .mutation(({ ctx, input }) => setMemberRole(ctx.service, input)),

  setDisabled: adminProcedure
    .input(setDisabledInput)
    .output(z.object({ id: z.uuid(), disabled: z.boolean() }))
    .mutation(({ ctx, input }) => setMemberDisabled(ctx.service, input)),

  /** The public end of an invitation link: creates the account, once. */
  acceptInvitation: publicProcedure
    .input(acceptInvitationInput)
    .output(z.object({ email: z.string() }))
    .mutation(async ({ ctx, input }) => {
      await limitPerNetwork(ctx.db, "acceptInvitation", ctx.fingerprint.ipHash);
      return { email: (await acceptInvitation({ db: ctx.db }, input)).email };
    }),
});
