"use server";

import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { refusal } from "@/app/_components/form-refusal";
import { textValues, type FormState } from "@/app/_components/form-state";
import { serverCaller } from "@/app/_trpc/server";
import { signIn } from "@/server/auth/config";

/** Rule C5: accepting an invitation makes the staff account, signs it in and opens the console. */
export async function acceptInvitationAction(previous: FormState, data: FormData): Promise<FormState> {
  const values = textValues(data, ["token", "firstName", "lastName"]);
  const password = typeof data.get("password") === "string" ? (data.get("password") as string) : "";
  const baaAccepted = data.get("baaAccepted") === "on";
  let email: string;
  try {
    ({ email } = await (await serverCaller()).team.acceptInvitation({ ...values, password, baaAccepted }));
  } catch (error) {
    return refusal(previous, { ...values, ...(baaAccepted ? { baaAccepted: "on" } : {}) }, error);
  }
  try {
    await signIn("credentials", { email, password, redirectTo: "/console" });
  } catch (error) {
    if (error instanceof AuthError) redirect("/signin");
    throw error;
  }
  return previous;
}
