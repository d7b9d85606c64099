import { TRPCClientError } from "@trpc/client";

/** A failed staff action in plain words; a CONFLICT means someone else acted first. */
export function actionError(error: unknown): string {
  if (!(error instanceof TRPCClientError) || !error.data) return "Something went wrong. Check your connection and try again.";
  const code = (error.data as { code?: string }).code;
  if (code === "CONFLICT") return `Someone else got there first. ${error.message}`;
  return error.message;
}
