/** What a person reads when sign-in fails, by the code the credentials provider returns. */
export const SIGN_IN_MESSAGES: Record<string, string> = {
  unknown_email: "We don't have an account with that email. Check the spelling, or create an account.",
  wrong_password: "That password is not right. Try again, or check that Caps Lock is off.",
  disabled: "This account has been disabled. Contact your clinic for help.",
  invalid_input: "Enter your email address and password.",
};

export const SIGN_IN_FALLBACK = "We couldn't sign you in. Please try again.";
