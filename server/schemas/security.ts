import { z } from "zod";
import { passwordField } from "./account";

export const changePasswordInput = z.object({
  currentPassword: z.string().min(1, "Enter your current password.").max(128),
  newPassword: passwordField,
});
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;

export const totpCodeInput = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{3}\s?\d{3}$/, "Enter the 6-digit code your authenticator app shows."),
});

export const disableTwoFactorInput = z.object({ password: z.string().min(1, "Enter your password.").max(128) });

export const staffTwoFactorInput = z.object({ required: z.boolean() });
