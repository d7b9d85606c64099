/** Carries the address from sign-up to the clinic's sign-in page for a few minutes, outside the URL. */
export const SIGNED_UP_COOKIE = "rf_signed_up";
