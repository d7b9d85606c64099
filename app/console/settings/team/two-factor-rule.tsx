"use client";

import { initialFormState } from "@/app/_components/form-state";
import { ErrorSummary, problemsOf, useActionForm } from "@/app/_components/form-parts";
import { Alert, Button, Card } from "@/app/_components/ui";
import { setStaffTwoFactorAction } from "./actions";

/** Rule N6: the clinic's rule that staff sign in with a second factor. */
export function TwoFactorRule({ required }: { required: boolean }) {
  const { state, formError, attempt, pending, action, onSubmit } = useActionForm(setStaffTwoFactorAction, initialFormState());
  const now = state.done ? state.values.required === "true" : required;
  return (
    <Card title="Two-factor sign-in for the team">
      <form action={action} onSubmit={onSubmit} className="flex flex-col gap-3">
        <input type="hidden" name="required" value={now ? "false" : "true"} />
        {state.done && <Alert tone="success">{now ? "Staff and admins now need two-factor sign-in before the console opens." : "Two-factor sign-in is now optional for the team."}</Alert>}
        <ErrorSummary problems={problemsOf(formError, {}, [])} attempt={attempt} />
        <p className="text-slate-800">
          {now
            ? "Required: everyone on the team signs in with a code from an authenticator app. Anyone without one is asked to set it up first."
            : "Optional: each person can turn it on in their account settings. Requiring it protects patient data if a password leaks."}
        </p>
        <Button type="submit" variant={now ? "secondary" : "primary"} busy={pending} className="self-start">
          {now ? "Make it optional" : "Require two-factor sign-in"}
        </Button>
      </form>
    </Card>
  );
}
