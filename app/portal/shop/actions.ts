"use server";

import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { refusal } from "@/app/_components/form-refusal";
import { serverCaller } from "@/app/_trpc/server";
import { checkoutInput } from "@/server/schemas/orders";
import { checkoutFromForm, issuesToErrors, keptValues, type CheckoutResult, type CheckoutState } from "./_components/checkout-form";

/**
 * Rule P9: checkout from the portal shop, the same with or without the page's script. A
 * definite answer (paid, declined) starts a new attempt with a new key; a pending one keeps
 * its key, so pressing Pay again cannot charge twice (rule N2).
 */
export async function checkoutAction(previous: CheckoutState, data: FormData): Promise<CheckoutState> {
  const kept = keptValues(data);
  const answer = (over: Partial<CheckoutState>): CheckoutState => ({ values: kept, fields: {}, form: null, attempt: previous.attempt + 1, result: null, ...over });
  const split = (fields: Record<string, string | undefined>) => {
    const { form = null, ...rest } = fields;
    return { form, fields: rest };
  };
  const parsed = checkoutInput.safeParse(checkoutFromForm(data));
  if (!parsed.success) return answer(split(issuesToErrors(parsed.error.issues)));
  let result: CheckoutResult;
  try {
    result = await (await serverCaller()).portal.checkout(parsed.data);
  } catch (error) {
    if (error instanceof TRPCError && error.cause instanceof ZodError) return answer(split(issuesToErrors(error.cause.issues)));
    return { ...refusal(previous, kept, error), result: null };
  }
  if (result.status === "paid") return answer({ values: { idempotencyKey: randomUUID() }, result });
  return answer({ values: { ...kept, idempotencyKey: result.status === "pending" ? (kept.idempotencyKey ?? "") : randomUUID() }, result });
}
