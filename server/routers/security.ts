import { z } from "zod";
import { changePasswordInput, disableTwoFactorInput, staffTwoFactorInput, totpCodeInput } from "@/server/schemas/security";
import { changePassword } from "@/server/auth/password-change";
import { activeSessions, endSessionsOf } from "@/server/auth/sessions";
import {
  confirmEnrolment,
  disableTwoFactor,
  pendingEnrolment,
  secondFactorMissing,
  setStaffTwoFactorRequired,
  staffTwoFactorRequired,
  startEnrolment,
  twoFactorStatus,
} from "@/server/auth/two-factor";
import { env } from "@/server/env";
import { accountProcedure, adminProcedure, router } from "@/server/trpc";

const production = env.NODE_ENV === "production";

/** Rule N6: the caller's own password, sessions and second factor; the clinic's 2FA rule for admins. */
export const securityRouter = router({
  changePassword: accountProcedure
    .input(changePasswordInput)
    .output(z.object({ otherSessionsEnded: z.number().int() }))
    .mutation(({ ctx, input }) => changePassword(ctx.db, { ...input, userId: ctx.userId, sessionId: ctx.sessionId })),

  sessions: accountProcedure
    .output(z.array(z.object({ id: z.uuid(), device: z.string(), createdAt: z.date(), lastUsedAt: z.date(), current: z.boolean() })))
    .query(({ ctx }) => activeSessions(ctx.db, { userId: ctx.userId, sessionId: ctx.sessionId })),

  /** Ends every other browser's session; this one stays signed in. */
  signOutEverywhere: accountProcedure
    .output(z.object({ ended: z.number().int() }))
    .mutation(async ({ ctx }) => ({ ended: await endSessionsOf(ctx.db, { userId: ctx.userId, keep: ctx.sessionId }) })),

  twoFactor: accountProcedure
    .output(z.object({ enabled: z.boolean(), recoveryCodesLeft: z.number().int(), mustEnrol: z.boolean(), available: z.boolean() }))
    .query(async ({ ctx }) => ({
      ...(await twoFactorStatus(ctx.db, ctx.userId)),
      mustEnrol: await secondFactorMissing(ctx.db, ctx.userId, { platform: production }),
      available: ctx.user.role !== "patient",
    })),

  /** Shown to its owner until a first code confirms it; null when none is waiting. */
  pendingTwoFactor: accountProcedure
    .output(z.object({ secret: z.string(), uri: z.string(), qrDataUrl: z.string() }).nullable())
    .query(({ ctx }) => pendingEnrolment(ctx.db, ctx.userId)),

  startTwoFactor: accountProcedure
    .output(z.object({ secret: z.string(), uri: z.string(), qrDataUrl: z.string() }))
    .mutation(({ ctx }) => startEnrolment(ctx.db, ctx.userId)),

  /** Recovery codes are in this answer only; the database keeps their hashes. */
  confirmTwoFactor: accountProcedure
    .input(totpCodeInput)
    .output(z.object({ recoveryCodes: z.array(z.string()) }))
    .mutation(({ ctx, input }) => confirmEnrolment(ctx.db, { userId: ctx.userId, sessionId: ctx.sessionId, code: input.code })),

  disableTwoFactor: accountProcedure
    .input(disableTwoFactorInput)
    .output(z.object({ enabled: z.boolean() }))
    .mutation(({ ctx, input }) => disableTwoFactor(ctx.db, { userId: ctx.userId, password: input.password })),

  staffTwoFactor: adminProcedure
    .output(z.object({ required: z.boolean() }))
    .query(async ({ ctx }) => ({ required: await staffTwoFactorRequired(ctx.db, ctx.clinicId) })),

  setStaffTwoFactor: adminProcedure
    .input(staffTwoFactorInput)
    .output(z.object({ required: z.boolean() }))
    .mutation(({ ctx, input }) => setStaffTwoFactorRequired(ctx.db, { ...input, clinicId: ctx.clinicId, actor: ctx.actor })),
});
