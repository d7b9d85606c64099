"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import type { z } from "zod";
import { Alert } from "@/app/_components/ui";
import { firstMessages, type FormState } from "./form-state";

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

type Check = (data: FormData) => Record<string, string | undefined> | null;

/** A check with the shared schema, run in the browser before anything is sent. */
export function checkWith<T>(schema: z.ZodType<T>, toInput: (data: FormData) => unknown): Check {
  return (data) => {
    const parsed = schema.safeParse(toInput(data));
    return parsed.success ? null : firstMessages(parsed.error);
  };
}

/** Next signals a redirect from a server action by rejecting the call with this digest; the router is already moving on. */
const isNavigation = (error: unknown) => typeof (error as { digest?: unknown } | null)?.digest === "string" && (error as { digest: string }).digest.startsWith("NEXT_REDIRECT");

const UNREACHABLE = "We couldn't reach the clinic's server. Check your connection and try again; what you typed is still here.";

/**
 * A form posted to a server action, the same with or without the page's script: before
 * hydration the browser posts it and the server answers with the page, filled in again
 * (`useActionState`); after, the form is checked here first and the action is called
 * directly, which (unlike a bare `action`) never resets what the person typed, and a lost
 * connection becomes a message instead of an error page. Inputs are uncontrolled
 * (`defaultValue`), so typing before hydration survives it. One submission at a time: a
 * double click in the same tick is ignored, and after a redirect the form stays busy while
 * the page moves on.
 */
export function useActionForm<S extends FormState>(action: (previous: S, data: FormData) => Promise<S>, initial: S, check?: Check) {
  const [posted, dispatch] = useActionState<S, FormData>(action, initial as Awaited<S>);
  const [answer, setAnswer] = useState<S | null>(null);
  const [local, setLocal] = useState<Record<string, string | undefined> | null>(null);
  const [localAttempts, setLocalAttempts] = useState(0);
  const [pending, setPending] = useState(false);
  const sending = useRef(false);
  const state = answer ?? posted;

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (sending.current) return;
    const data = new FormData(event.currentTarget);
    const fields = check?.(data) ?? null;
    if (fields) {
      setLocal(fields);
      setLocalAttempts((n) => n + 1);
      return;
    }
    setLocal(null);
    sending.current = true;
    setPending(true);
    action(state, data).then(
      (next) => {
        setAnswer(next);
        sending.current = false;
        setPending(false);
      },
      (error: unknown) => {
        if (isNavigation(error)) return;
        setAnswer({ ...state, fields: {}, form: UNREACHABLE, attempt: state.attempt + 1 });
        sending.current = false;
        setPending(false);
      },
    );
  }

  const shown = local ? { fields: local, form: null } : state;
  return { state, fieldErrors: shown.fields, formError: shown.form, attempt: state.attempt + localAttempts, pending, action: dispatch, onSubmit };
}

/** The problems of a form in the order its fields appear, the form's own message first. */
export function problemsOf(formError: string | null, fieldErrors: Record<string, string | undefined>, order: readonly string[]): Problem[] {
  const named = [...order, ...Object.keys(fieldErrors).filter((f) => !order.includes(f))];
  return [...(formError ? [{ message: formError }] : []), ...named.flatMap((name) => (fieldErrors[name] ? [{ field: name, message: fieldErrors[name] }] : []))];
}
