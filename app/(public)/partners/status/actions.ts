"use server";

import { refusal } from "@/app/_components/form-refusal";
import { firstMessages, textValues, type FormState } from "@/app/_components/form-state";
import { serverCaller } from "@/app/_trpc/server";
import { resendLinkInput } from "@/server/schemas/b2b";

/** Rule B5: a lost status link sent again, to the referrer's own address only. */
export async function resendLinkAction(previous: FormState, data: FormData): Promise<FormState> {
  const values = textValues(data, ["email"]);
  const parsed = resendLinkInput.safeParse(values);
  if (!parsed.success) return { values, fields: firstMessages(parsed.error), form: null, attempt: previous.attempt + 1 };
  try {
    await (await serverCaller()).partner.resendLink(parsed.data);
  } catch (error) {
    return refusal(previous, values, error);
  }
  return { values: {}, fields: {}, form: null, attempt: previous.attempt + 1, done: true };
}
