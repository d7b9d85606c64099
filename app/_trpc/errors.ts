import { TRPCClientError } from "@trpc/client";
import type { AppRouter } from "@/server/root";

export type FieldErrors = Record<string, string | undefined>;

/** A mutation error as a form shows it: one message per field, and one for the whole form. */
export function formErrors(error: unknown): { form: string | null; fields: FieldErrors } {
  if (!(error instanceof TRPCClientError)) return { form: error ? "Something went wrong. Please try again." : null, fields: {} };
  const data = (error as TRPCClientError<AppRouter>).data;
  const fields: FieldErrors = {};
  const zodFields = data?.zodError?.fieldErrors as Record<string, string[] | undefined> | undefined;
  for (const [key, messages] of Object.entries(zodFields ?? {})) fields[key] = messages?.[0];
  if (data?.field) {
    fields[data.field] = error.message;
    return { form: null, fields };
  }
  if (Object.keys(fields).length) return { form: "Please correct the highlighted fields.", fields };
  return { form: error.message, fields };
}
