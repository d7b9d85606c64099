"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { textValues, type FormState } from "@/app/_components/form-state";
import { signIn } from "@/server/auth/config";
import { SECOND_FACTOR_CODES, SIGN_IN_FALLBACK, SIGN_IN_MESSAGES } from "@/server/auth/messages";
import { getDb } from "@/server/db";
import { clinicChoices } from "@/server/auth/accounts";

/**
 * Sign-in, the same with or without the page's script; a success lands on the role's home.
 * `clinic` comes from the clinic's own sign-in page, or from the choice offered once a password
 * opened accounts at several clinics (rule N6).
 */
export async function signInAction(previous: FormState, data: FormData): Promise<FormState> {
  const values = textValues(data, ["email", "clinic"]);
  const password = typeof data.get("password") === "string" ? (data.get("password") as string) : "";
  // Rule N6: the second factor, when the account has one; asked for after a right password.
  const { code: secondFactor } = textValues(data, ["code"]);
  try {
    await signIn("credentials", { email: values.email, password, clinic: values.clinic, ...(secondFactor ? { code: secondFactor } : {}), redirectTo: "/start" });
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    const code = error instanceof CredentialsSignin ? error.code : "";
    const asksForCode: Record<string, string> = SECOND_FACTOR_CODES.includes(code) ? { secondFactor: "1" } : {};
    const answer = { values: { ...values, ...asksForCode }, fields: {}, form: SIGN_IN_MESSAGES[code] ?? SIGN_IN_FALLBACK, attempt: previous.attempt + 1 };
    if (code !== "choose_clinic") return answer;
    // The password was right for several accounts: only now are their clinics named.
    const choices = (await clinicChoices(await getDb(), { email: values.email, password })).map((c) => ({ value: c.slug, label: c.name }));
    return { ...answer, choices };
  }
  return previous;
}
