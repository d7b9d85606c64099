"use client";

import Link from "next/link";
import { useRef, useState } from "react";
import { CheckField } from "@/app/_components/fields";
import { initialFormState } from "@/app/_components/form-state";
import { Button, TextField } from "@/app/_components/ui";
import { BAA_PATH, BAA_REQUIRED, BAA_TITLE, BAA_VERSION, SUBPROCESSORS_PATH } from "@/server/schemas/baa";
import { acceptInvitationInput } from "@/server/schemas/team";
import { checkWith, ErrorSummary, problemsOf, ShowPassword, useActionForm } from "@/app/_components/form-parts";
import { acceptInvitationAction } from "./actions";

const FIELDS = ["firstName", "lastName", "password", "baaAccepted"] as const;
type Field = Exclude<(typeof FIELDS)[number], "baaAccepted">;

const withBaa = acceptInvitationInput.refine((v) => v.baaAccepted, { message: BAA_REQUIRED, path: ["baaAccepted"] });
const values = (data: FormData) => ({ ...Object.fromEntries(data), baaAccepted: data.get("baaAccepted") === "on" });
const checkPlain = checkWith(acceptInvitationInput, values);
const checkBaa = checkWith(withBaa, values);

/** Issue 19: `baaRequired` when an admin joins a clinic that has not accepted the BAA in force. */
export function AcceptInvitationForm({ token, email, baaRequired }: { token: string; email: string; baaRequired: boolean }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [showPassword, setShowPassword] = useState(false);
  const { state, fieldErrors, formError, attempt, pending, action, onSubmit } = useActionForm(acceptInvitationAction, initialFormState(), baaRequired ? checkBaa : checkPlain);

  const field = (name: Field) => ({ name, defaultValue: name === "password" ? undefined : state.values[name], error: fieldErrors[name] });
  const focusField = (name: string) => {
    const element = formRef.current?.elements.namedItem(name);
    if (element instanceof HTMLElement) element.focus();
  };

  return (
    // Uncontrolled inputs: what a person types before the script runs is theirs (issue 7 item 22). POST keeps the password out of the URL (rule N3).
    <form action={action} onSubmit={onSubmit} ref={formRef} noValidate className="flex flex-col gap-5">
      <ErrorSummary problems={problemsOf(formError, fieldErrors, FIELDS)} attempt={attempt} onPick={focusField} />
      <input type="hidden" name="token" value={token} />
      {/* Lets password managers save the right address with the new password. */}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <TextField label="First name" autoComplete="given-name" autoCapitalize="words" required {...field("firstName")} />
      <TextField label="Last name" autoComplete="family-name" autoCapitalize="words" required {...field("lastName")} />
      <TextField
        label="Choose a password"
        hint="At least 10 characters, with letters plus a number or symbol."
        type={showPassword ? "text" : "password"}
        autoComplete="new-password"
        autoCapitalize="none"
        spellCheck={false}
        required
        {...field("password")}
      />
      <ShowPassword shown={showPassword} onChange={setShowPassword} />
      {baaRequired && (
        <div className="flex flex-col gap-2">
          <p className="text-sm text-slate-700">
            As the clinic&apos;s admin you accept, for the clinic, the platform&apos;s{" "}
            <Link href={BAA_PATH} target="_blank" className="font-medium text-brand-700 underline">
              {BAA_TITLE} (version {BAA_VERSION}, opens in a new tab)
            </Link>
            . It lists the{" "}
            <Link href={SUBPROCESSORS_PATH} target="_blank" className="font-medium text-brand-700 underline">
              services that may carry patient data
            </Link>
            .
          </p>
          <CheckField
            name="baaAccepted"
            label={`I accept the ${BAA_TITLE} (version ${BAA_VERSION}) on behalf of the clinic, signed with the name I typed above, and I may sign it for the clinic.`}
            defaultChecked={state.values.baaAccepted === "on"}
            error={fieldErrors.baaAccepted}
          />
        </div>
      )}
      <Button type="submit" busy={pending} className="w-full">
        {pending ? "Creating your account…" : "Create account and join"}
      </Button>
    </form>
  );
}
