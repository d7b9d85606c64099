"use client";

import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useRef, useState } from "react";
import { Button, TextField } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { acceptInvitationInput } from "@/server/schemas/team";
import { ErrorSummary, ShowPassword, type Problem, useSubmission } from "@/app/_components/form-parts";

const FIELDS = ["firstName", "lastName", "password"] as const;
type Field = (typeof FIELDS)[number];

export function AcceptInvitationForm({ token, email }: { token: string; email: string }) {
  const trpc = useTRPC();
  const accept = useMutation(trpc.team.acceptInvitation.mutationOptions());
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<Record<Field, string>>({ firstName: "", lastName: "", password: "" });
  const [showPassword, setShowPassword] = useState(false);
  const { fieldErrors, formError, attempt, pending, submit } = useSubmission();

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void submit(acceptInvitationInput, { ...values, token }, async (input) => {
      await accept.mutateAsync(input);
      const session = await signIn("credentials", { email, password: input.password, redirect: false }).catch(() => null);
      // A full load, so the console layout reads the new session.
      window.location.assign(session && !session.error ? "/console" : "/signin");
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

  return (
    // Submitted before hydration, the browser sends the form itself: POST keeps the password out of the URL (rule N3).
    <form method="post" ref={formRef} noValidate onSubmit={onSubmit} className="flex flex-col gap-5">
      <ErrorSummary problems={problems} attempt={attempt} onPick={focusField} />
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
      <Button type="submit" busy={pending} className="w-full">
        {pending ? "Creating your account…" : "Create account and join"}
      </Button>
    </form>
  );
}
