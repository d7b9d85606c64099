"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { refusal } from "@/app/_components/form-refusal";
import { textValues, type FormState } from "@/app/_components/form-state";
import { serverCaller } from "@/app/_trpc/server";
import { SIGNED_UP_COOKIE } from "./signed-up";

const FIELDS = ["clinicSlug", "firstName", "lastName", "email", "phone", "referralCode"] as const;

/**
 * Patient sign-up, the same with or without the page's script: the procedure makes the
 * account (rule P5 links the referral from the cookie or the typed code). Rule N6: whether the
 * email was new here or already had an account, the person lands on the clinic's sign-in page
 * with the same words and signs in there; nobody is signed in by a sign-up, so an existing
 * account is never opened, nor told apart, by it.
 */
export async function signUpAction(previous: FormState, data: FormData): Promise<FormState> {
  const values = textValues(data, FIELDS);
  const password = typeof data.get("password") === "string" ? (data.get("password") as string) : "";
  let next: string;
  try {
    const smsOptIn = data.get("smsOptIn") === "on";
    const marketingOptIn = data.get("marketingOptIn") === "on";
    ({ signInPath: next } = await (await serverCaller()).account.signUp({ ...values, password, smsOptIn, marketingOptIn }));
  } catch (error) {
    return refusal(previous, values, error);
  }
  (await cookies()).set(SIGNED_UP_COOKIE, values.email.trim().toLowerCase(), { httpOnly: true, sameSite: "lax", path: "/signin", maxAge: 600 });
  redirect(`${next}?welcome=1`);
}
