"use server";

import { redirect } from "next/navigation";
import { refusal } from "@/app/_components/form-refusal";
import { firstMessages, type FormState } from "@/app/_components/form-state";
import { serverCaller } from "@/app/_trpc/server";
import { submitReferralInput } from "@/server/schemas/b2b";
import { referralInput, sentValues } from "./form-input";

/** Rule B1: the public form, the same with or without the page's script. */
export async function submitReferralAction(previous: FormState, data: FormData): Promise<FormState> {
  const values = sentValues(data);
  const parsed = submitReferralInput.safeParse(referralInput(values));
  if (!parsed.success) return { values, fields: firstMessages(parsed.error), form: null, attempt: previous.attempt + 1 };
  let token: string;
  try {
    ({ token } = await (await serverCaller()).partner.submit(parsed.data));
  } catch (error) {
    return refusal(previous, values, error);
  }
  // The token travels in the fragment, which never reaches a server or its logs.
  redirect(`/refer-a-practice/confirmation#${token}`);
}
