"use server";

import { revalidatePath } from "next/cache";
import { refusal } from "@/app/_components/form-refusal";
import { firstMessages, textValues, type FormState } from "@/app/_components/form-state";
import { serverCaller } from "@/app/_trpc/server";
import { changePasswordInput, disableTwoFactorInput, totpCodeInput } from "@/server/schemas/security";

const answer = (previous: FormState, patch: Partial<FormState>): FormState => ({ values: {}, fields: {}, form: null, attempt: previous.attempt + 1, ...patch });
const passwordOf = (data: FormData, name: string) => (typeof data.get(name) === "string" ? (data.get(name) as string) : "");

/** Rule N6: the other browsers are signed out; this one stays. */
export async function changePasswordAction(previous: FormState, data: FormData): Promise<FormState> {
  const parsed = changePasswordInput.safeParse({ currentPassword: passwordOf(data, "currentPassword"), newPassword: passwordOf(data, "newPassword") });
  if (!parsed.success) return answer(previous, { fields: firstMessages(parsed.error) });
  try {
    const { otherSessionsEnded } = await (await serverCaller()).security.changePassword(parsed.data);
    revalidatePath("/security");
    revalidatePath("/portal/security");
    const others = otherSessionsEnded === 1 ? "1 other browser was" : `${otherSessionsEnded} other browsers were`;
    return answer(previous, { done: true, values: { notice: `Your password is changed. ${others} signed out.` } });
  } catch (error) {
    return refusal(previous, {}, error);
  }
}

export async function signOutEverywhereAction(previous: FormState): Promise<FormState> {
  try {
    const { ended } = await (await serverCaller()).security.signOutEverywhere();
    revalidatePath("/security");
    revalidatePath("/portal/security");
    return answer(previous, { done: true, values: { notice: ended === 1 ? "1 other browser was signed out." : `${ended} other browsers were signed out.` } });
  } catch (error) {
    return refusal(previous, {}, error);
  }
}

/** Step 1: the page then shows the QR code of the waiting enrolment. */
export async function startTwoFactorAction(previous: FormState): Promise<FormState> {
  try {
    await (await serverCaller()).security.startTwoFactor();
    revalidatePath("/security");
    return answer(previous, { done: true });
  } catch (error) {
    return refusal(previous, {}, error);
  }
}

/** Step 2: the recovery codes travel in this answer only. */
export async function confirmTwoFactorAction(previous: FormState, data: FormData): Promise<FormState> {
  const values = textValues(data, ["code"]);
  const parsed = totpCodeInput.safeParse(values);
  if (!parsed.success) return answer(previous, { values, fields: firstMessages(parsed.error) });
  try {
    const { recoveryCodes } = await (await serverCaller()).security.confirmTwoFactor(parsed.data);
    return answer(previous, { done: true, values: { recoveryCodes: recoveryCodes.join(" ") } });
  } catch (error) {
    return refusal(previous, values, error);
  }
}

export async function disableTwoFactorAction(previous: FormState, data: FormData): Promise<FormState> {
  const parsed = disableTwoFactorInput.safeParse({ password: passwordOf(data, "password") });
  if (!parsed.success) return answer(previous, { fields: firstMessages(parsed.error) });
  try {
    await (await serverCaller()).security.disableTwoFactor(parsed.data);
    revalidatePath("/security");
    return answer(previous, { done: true });
  } catch (error) {
    return refusal(previous, {}, error);
  }
}
