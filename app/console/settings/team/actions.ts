"use server";

import { refusal } from "@/app/_components/form-refusal";
import { type FormState } from "@/app/_components/form-state";
import { serverCaller } from "@/app/_trpc/server";

/** Rule N6: a clinic admin requires (or stops requiring) a second factor of the team. */
export async function setStaffTwoFactorAction(previous: FormState, data: FormData): Promise<FormState> {
  const required = data.get("required") === "true";
  try {
    const result = await (await serverCaller()).security.setStaffTwoFactor({ required });
    return { values: { required: String(result.required) }, fields: {}, form: null, attempt: previous.attempt + 1, done: true };
  } catch (error) {
    return refusal(previous, {}, error);
  }
}
