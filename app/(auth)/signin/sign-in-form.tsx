"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";
import { Button, TextField } from "@/app/_components/ui";
import { SIGN_IN_FALLBACK, SIGN_IN_MESSAGES } from "@/server/auth/messages";
import { signInInput } from "@/server/schemas/account";
import { ErrorSummary, ShowPassword, type Problem, useSubmission } from "@/app/_components/form-parts";

export function SignInForm() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [showPassword, setShowPassword] = useState(false);
  const { fieldErrors, formError, attempt, pending, submit } = useSubmission();

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void submit(signInInput, { email, password }, async (input) => {
      const result = await signIn("credentials", { ...input, redirect: false }).catch(() => null);
      if (result && !result.error) {
        // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a full load, so server layouts read the new session cookie
        window.location.assign("/start");
        return;
      }
      const code = result?.code;
      if (code === "invalid_credentials") setPassword("");
      return { form: (code && SIGN_IN_MESSAGES[code]) || SIGN_IN_FALLBACK };
    });
  }

  const problems: Problem[] = formError
    ? [{ message: formError }]
    : Object.entries(fieldErrors).flatMap(([field, message]) => (message ? [{ field, message }] : []));

  return (
    // Submitted before hydration, the browser sends the form itself: POST keeps the password out of the URL (rule N3).
    <form method="post" noValidate onSubmit={onSubmit} className="flex flex-col gap-5">
      <ErrorSummary problems={problems} attempt={attempt} />
      <TextField
        label="Email"
        name="email"
        type="email"
        inputMode="email"
        autoComplete="email"
        autoCapitalize="none"
        spellCheck={false}
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={fieldErrors.email}
      />
      <TextField
        label="Password"
        name="password"
        type={showPassword ? "text" : "password"}
        autoComplete="current-password"
        autoCapitalize="none"
        spellCheck={false}
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={fieldErrors.password}
      />
      <ShowPassword shown={showPassword} onChange={setShowPassword} />
      <Button type="submit" busy={pending} className="w-full">
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
