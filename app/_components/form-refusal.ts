import "server-only";
import { TRPCError } from "@trpc/server";
import { unstable_rethrow } from "next/navigation";
import { ZodError } from "zod";
import { DomainError } from "@/server/kernel/errors";
import { firstMessages, type FormState } from "./form-state";

const INTERNAL = "Something went wrong on our side. Please try again in a moment.";

/**
 * A procedure's refusal as the form shows it, the same messages the scripted path shows.
 * Next's own control flow (redirect, not found) passes through untouched.
 */
export function refusal(previous: FormState, values: Record<string, string>, error: unknown): FormState {
  unstable_rethrow(error);
  const answer = { values, fields: {}, form: null, attempt: previous.attempt + 1 } satisfies FormState;
  if (!(error instanceof TRPCError) || error.code === "INTERNAL_SERVER_ERROR") {
    // The cause may hold query parameters (personal data): only its kind is logged.
    console.error("form action failed", { kind: error instanceof Error ? error.name : typeof error, code: error instanceof TRPCError ? error.code : undefined });
    return { ...answer, form: INTERNAL };
  }
  if (error.cause instanceof ZodError) return { ...answer, fields: firstMessages(error.cause) };
  if (error.cause instanceof DomainError && error.cause.field) return { ...answer, fields: { [error.cause.field]: error.message } };
  return { ...answer, form: error.message };
}
