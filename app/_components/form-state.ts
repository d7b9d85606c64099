import { z } from "zod";

/**
 * What a form's server action answers when it does not move the person on: what they sent
 * (so the form comes back filled in, with or without the page's script), a message per
 * field and one for the whole form. Passwords are never in `values`.
 */
export type FormState = {
  values: Record<string, string>;
  fields: Record<string, string | undefined>;
  form: string | null;
  /** Counts the answers, so the error summary takes focus after each one. */
  attempt: number;
  /** Set when the action succeeded and the form shows its own confirmation. */
  done?: boolean;
  /** Options the person must pick one of before the form can go through (e.g. which clinic). */
  choices?: { value: string; label: string }[];
};

export const initialFormState = (values: Record<string, string> = {}): FormState => ({ values, fields: {}, form: null, attempt: 0 });

/** The named text fields of a submitted form; anything else in it is ignored. */
export function textValues<N extends string>(data: FormData, names: readonly N[]): Record<N, string> {
  return Object.fromEntries(names.map((name) => [name, typeof data.get(name) === "string" ? (data.get(name) as string) : ""])) as Record<N, string>;
}

/** The first message zod gives for each field. */
export function firstMessages(error: z.ZodError): Record<string, string | undefined> {
  const fieldErrors = z.flattenError(error).fieldErrors as Record<string, string[] | undefined>;
  return Object.fromEntries(Object.entries(fieldErrors).map(([key, messages]) => [key, messages?.[0]]));
}
