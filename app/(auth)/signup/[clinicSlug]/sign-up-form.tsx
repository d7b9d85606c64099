"use client";

import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useRef, useState } from "react";
import { formatCents } from "@/app/_components/format";
import { Button, TextField } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { signUpInput } from "@/server/schemas/account";
import { ErrorSummary, ShowPassword, type Problem, useSubmission } from "@/app/_components/form-parts";

const FIELDS = ["firstName", "lastName", "email", "phone", "password", "referralCode"] as const;
type Field = (typeof FIELDS)[number];
type Values = Record<Field, string>;

export function SignUpForm({ clinicSlug, invitedCode, welcomeCreditCents }: { clinicSlug: string; invitedCode: string; welcomeCreditCents: number }) {
  const trpc = useTRPC();
  const signUp = useMutation(trpc.account.signUp.mutationOptions());
  const formRef = useRef<HTMLFormElement>(null);
  // Rule P5: prefilled from the invitation, and the person may still change or clear it.
  const [values, setValues] = useState<Values>({ firstName: "", lastName: "", email: "", phone: "", password: "", referralCode: invitedCode });
  const [showPassword, setShowPassword] = useState(false);
  const { fieldErrors, formError, attempt, pending, submit } = useSubmission();

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void submit(signUpInput, { ...values, clinicSlug }, async (input) => {
      await signUp.mutateAsync(input);
      const session = await signIn("credentials", { email: input.email, password: input.password, redirect: false }).catch(() => null);
      // A full load, so server layouts read the new session; if the automatic sign-in failed, the account still exists.
      window.location.assign(session && !session.error ? "/portal" : "/signin");
    });
  }

  const field = (name: Field) => ({
    name,
    value: values[name],
    error: fieldErrors[name],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setValues((v) => ({ ...v, [name]: e.target.value })),
  });

  const problems: Problem[] = [
    ...(formError ? [{ message: formError }] : []),
    ...FIELDS.flatMap((name) => (fieldErrors[name] ? [{ field: name, message: fieldErrors[name] }] : [])),
  ];

  const focusField = (name: string) => {
    const element = formRef.current?.elements.namedItem(name);
    if (element instanceof HTMLElement) element.focus();
  };

  const hasCode = values.referralCode.trim() !== "";

  return (
    // Submitted before hydration, the browser sends the form itself: POST keeps the password out of the URL (rule N3).
    <form method="post" ref={formRef} noValidate onSubmit={onSubmit} className="flex flex-col gap-5">
      <ErrorSummary problems={problems} attempt={attempt} onPick={focusField} />
      <TextField label="First name" autoComplete="given-name" autoCapitalize="words" required {...field("firstName")} />
      <TextField label="Last name" autoComplete="family-name" autoCapitalize="words" required {...field("lastName")} />
      <TextField
        label="Email"
        type="email"
        inputMode="email"
        autoComplete="email"
        autoCapitalize="none"
        spellCheck={false}
        required
        {...field("email")}
      />
      <TextField
        label="Mobile phone (optional)"
        hint="Include the area code."
        type="tel"
        inputMode="tel"
        autoComplete="tel"
        {...field("phone")}
      />
      <TextField
        label="Password"
        hint="At least 10 characters, with letters plus a number or symbol."
        type={showPassword ? "text" : "password"}
        autoComplete="new-password"
        autoCapitalize="none"
        spellCheck={false}
        required
        {...field("password")}
      />
      <ShowPassword shown={showPassword} onChange={setShowPassword} />
      <TextField
        label="Referral code (optional)"
        hint={
          invitedCode
            ? "Filled in from your invitation link. You can change it, or clear it if it isn't yours."
            : "The code from your invitation, if a friend invited you."
        }
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        {...field("referralCode")}
      />
      {hasCode && welcomeCreditCents > 0 && (
        // Rule P5: the referee learns what the code brings them before they commit.
        <p className="-mt-2 rounded-lg bg-brand-50 px-3 py-2 text-sm text-brand-800">
          With a referral code, you get a <strong>{formatCents(welcomeCreditCents)} welcome credit</strong> toward your next
          visit after your first paid visit.
        </p>
      )}
      <Button type="submit" busy={pending} className="w-full">
        {pending ? "Creating your account…" : "Create account"}
      </Button>
    </form>
  );
}
