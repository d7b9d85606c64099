"use client";

import { useEffect, useRef, useState } from "react";
import { z } from "zod";
import { formErrors } from "@/app/_trpc/errors";
import { Alert } from "@/app/_components/ui";

export type Problem = { field?: string; message: string };

/**
 * The form's problems in one place. It takes focus each time a submission fails (`attempt`
 * changes), so a keyboard or screen-reader user hears what went wrong without searching.
 */
export function ErrorSummary({ problems, attempt, onPick }: { problems: Problem[]; attempt: number; onPick?: (field: string) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (attempt > 0) ref.current?.focus();
  }, [attempt]);
  if (!problems.length) return null;

  const [only] = problems;
  return (
    <div ref={ref} tabIndex={-1} className="rounded-lg">
      <Alert>
        {problems.length === 1 && only && !only.field ? (
          <p>{only.message}</p>
        ) : (
          <>
            <p className="font-semibold">Please check {problems.length === 1 ? "this" : `these ${problems.length} things`}:</p>
            <ul className="mt-1 list-disc space-y-1 pl-5">
              {problems.map((p) => (
                <li key={`${p.field ?? "form"}:${p.message}`}>
                  {p.field && onPick ? (
                    <button type="button" onClick={() => onPick(p.field ?? "")} className="text-left align-top underline">
                      {p.message}
                    </button>
                  ) : (
                    p.message
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
      </Alert>
    </div>
  );
}

/** Lets a person check what they typed; the field stays a password field for managers and autofill otherwise. */
export function ShowPassword({ shown, onChange }: { shown: boolean; onChange: (shown: boolean) => void }) {
  return (
    <label className="-mt-3 inline-flex min-h-11 items-center gap-2 self-start text-sm text-slate-700">
      <input type="checkbox" checked={shown} onChange={(e) => onChange(e.target.checked)} className="size-5 accent-brand-600" />
      Show password
    </label>
  );
}

/** The first message zod gives for each field. */
export function firstMessages(fieldErrors: Record<string, string[] | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(fieldErrors).map(([key, messages]) => [key, messages?.[0]]));
}

type Failure = { fields?: Record<string, string | undefined>; form?: string | null };

/**
 * One submission at a time: checks the input with the shared schema, sends it, and turns a
 * failure (thrown, or returned by `send`) into field and form messages. A double click in the
 * same tick is ignored; after a success the form stays busy while the page moves on.
 */
export function useSubmission() {
  const [fieldErrors, setFieldErrors] = useState<Record<string, string | undefined>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [pending, setPending] = useState(false);
  const inFlight = useRef(false);

  function fail({ fields = {}, form = null }: Failure) {
    setFieldErrors(fields);
    setFormError(form);
    setAttempt((n) => n + 1);
  }

  async function submit<T>(schema: z.ZodType<T>, raw: unknown, send: (input: T) => Promise<Failure | void>) {
    if (inFlight.current) return;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) return fail({ fields: firstMessages(z.flattenError(parsed.error).fieldErrors as Record<string, string[] | undefined>) });
    inFlight.current = true;
    setPending(true);
    let failure: Failure | void;
    try {
      failure = await send(parsed.data);
    } catch (error) {
      const { form, fields } = formErrors(error);
      failure = { form, fields };
    }
    if (!failure) return;
    fail(failure);
    inFlight.current = false;
    setPending(false);
  }

  return { fieldErrors, formError, attempt, pending, submit };
}
