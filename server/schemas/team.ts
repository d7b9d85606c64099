import { z } from "zod";
import { multiLine, singleLine } from "./text";
import { STAFF_ROLES } from "@/db/schema/team";
import { emailField, passwordField } from "./account";

export const staffRole = z.enum(STAFF_ROLES, { error: "Choose Staff or Admin." });

/** Rule C4: a manual change says why, in words a later reader understands. */
export const reasonField = multiLine()
  .min(3, "Say briefly why (at least 3 characters).")
  .max(500, "Keep the reason under 500 characters.");

export const inviteInput = z.object({ email: emailField, role: staffRole });
export type InviteInput = z.infer<typeof inviteInput>;

export const revokeInvitationInput = z.object({ invitationId: z.uuid(), reason: reasonField.optional() });

export const setRoleInput = z.object({ userId: z.uuid(), role: staffRole, reason: reasonField });
export type SetRoleInput = z.infer<typeof setRoleInput>;

export const setDisabledInput = z.object({ userId: z.uuid(), disabled: z.boolean(), reason: reasonField });
export type SetDisabledInput = z.infer<typeof setDisabledInput>;

const nameField = (label: string) =>
  singleLine().min(1, `Enter your ${label}.`).max(80, `Your ${label} can be at most 80 characters.`);

/** The token is 43 base64url characters; anything else is not one of ours. */
export const invitationToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "This invitation link is not complete. Copy the whole link from the message.");

export const acceptInvitationInput = z.object({
  token: invitationToken,
  firstName: nameField("first name"),
  lastName: nameField("last name"),
  password: passwordField,
  /** Issue 19: required (true) only when an admin joins a clinic that has not accepted the BAA in force. */
  baaAccepted: z.boolean().optional(),
});
export type AcceptInvitationInput = z.infer<typeof acceptInvitationInput>;
