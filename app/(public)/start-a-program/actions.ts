"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { refusal } from "@/app/_components/form-refusal";
import { textValues, type FormState } from "@/app/_components/form-state";
import { serverCaller } from "@/app/_trpc/server";
import { SIGNED_UP_COOKIE } from "@/app/(auth)/signup/[clinicSlug]/signed-up";

const START_FIELDS = ["practiceName", "slug", "timeZone", "firstName", "lastName", "email"] as const;

/**
 * Issue 13: a practice's self sign-up, the same with or without the page's script. Rule N6:
 * whether the address was new or already had a team account, the person lands on sign-in with
 * the same words; nobody is signed in by a sign-up.
 */
export async function startProgramAction(previous: FormState, data: FormData): Promise<FormState> {
  const values = textValues(data, START_FIELDS);
  const password = typeof data.get("password") === "string" ? (data.get("password") as string) : "";
  const termsAccepted = data.get("termsAccepted") === "on";
  const baaAccepted = data.get("baaAccepted") === "on";
  let next: string;
  try {
    ({ signInPath: next } = await (await serverCaller()).onboarding.startProgram({ ...values, password, termsAccepted, baaAccepted }));
  } catch (error) {
    return refusal(previous, { ...values, ...(termsAccepted ? { termsAccepted: "on" } : {}), ...(baaAccepted ? { baaAccepted: "on" } : {}) }, error);
  }
  // The address fills in the sign-in form without travelling in the URL (rule N3).
  (await cookies()).set(SIGNED_UP_COOKIE, values.email.trim().toLowerCase(), { httpOnly: true, sameSite: "lax", path: "/signin", maxAge: 600 });
  redirect(`${next}?started=1`);
}
