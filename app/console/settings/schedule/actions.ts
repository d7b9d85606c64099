"use server";

import { refusal } from "@/app/_components/form-refusal";
import { type FormState } from "@/app/_components/form-state";
import { serverCaller } from "@/app/_trpc/server";

/** Rule A6: a clinic admin sets the clinic's time zone. */
export async function setTimeZoneAction(previous: FormState, data: FormData): Promise<FormState> {
  const timeZone = typeof data.get("timeZone") === "string" ? (data.get("timeZone") as string) : "";
  try {
    const result = await (await serverCaller()).clinic.setTimeZone({ timeZone });
    return { values: { timeZone: result.timeZone }, fields: {}, form: null, attempt: previous.attempt + 1, done: true };
  } catch (error) {
    return refusal(previous, { timeZone }, error);
  }
}
