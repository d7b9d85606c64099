/** What a person reads when sign-in fails, by the code the credentials provider returns. */
export const SIGN_IN_MESSAGES: Record<string, string> = {
  // Rule N6: one answer for an unknown email and a wrong password, so neither tells the other apart.
  invalid_credentials: "That email and password don't match an account. Check both and try again, or create an account.",
  disabled: "This account has been disabled. Contact your clinic for help.",
  invalid_input: "Enter your email address and password.",
  // Rule N6: a delay, not a lockout; the same for every email, with or without an account.
  throttled: "Too many sign-in attempts in a short time. Wait a few minutes, then try again.",
  choose_clinic: "This email has accounts at more than one clinic. Choose the clinic to sign in to.",
  // Rule N6: asked only after the password was right.
  second_factor_required: "Enter the 6-digit code from your authenticator app, or one of your recovery codes.",
  second_factor_invalid: "That code didn't work. Enter the code your app shows now, or an unused recovery code.",
  second_factor_throttled: "Too many wrong codes in a row. Wait a few minutes, then enter the code your app shows.",
};

export const SIGN_IN_FALLBACK = "We couldn't sign you in. Please try again.";

/** Refusals after which the form asks for the authenticator code. */
export const SECOND_FACTOR_CODES: readonly string[] = ["second_factor_required", "second_factor_invalid", "second_factor_throttled"];
