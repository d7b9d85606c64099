"use server";

import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { refusal } from "@/app/_components/form-refusal";
import { textValues, type FormState } from "@/app/_components/form-state";
import { serverCaller } from "@/app/_trpc/server";
import { signIn } from "@/server/auth/config";

const FIELDS = ["clinicSlug", "firstName", "lastName", "email", "phone", "referralCode"] as const;

/**
 * Patient sign-up, the same with or without the page's script: the procedure makes the
 * account (rule P5 links the referral from the cookie or the typed code), then the new
 * patient is signed in and lands in the portal.
 */
export async function signUpAction(previous: FormState, data: FormData): Promise<FormState> {
  const values = textValues(data, FIELDS);
  const password = typeof data.get("password") === "string" ? (data.get("password") as string) : "";
  try {
    await (await serverCaller()).account.signUp({ ...values, password });
  } catch (error) {
    return refusal(previous, values, error);
  }
  try {
    await signIn("credentials", { email: values.email, password, redirectTo: "/portal" });
  } catch (error) {
    // The account exists either way; if signing in failed, the person signs in by hand.
    if (error instanceof AuthError) redirect("/signin");
    throw error;
  }
  return previous;
}
