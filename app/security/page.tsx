import type { Metadata } from "next";
import { serverCaller } from "@/app/_trpc/server";
import { Alert, Card } from "@/app/_components/ui";
import { PasswordForm } from "./forms";
import { SessionsPanel, TwoFactorPanel } from "./panels";

export const metadata: Metadata = { title: "Account security" };

export default async function SecurityPage() {
  const { mustEnrol } = await (await serverCaller()).security.twoFactor();
  return (
    <>
      <div>
        <h1 className="text-2xl font-bold text-slate-900">Account security</h1>
        <p className="mt-1 text-slate-700">Your password, the browsers you’re signed in on, and two-factor sign-in.</p>
      </div>
      {mustEnrol && <Alert tone="info">Set up two-factor sign-in to continue: it is required for your account.</Alert>}
      <TwoFactorPanel mustEnrol={mustEnrol} />
      <Card title="Change your password">
        <PasswordForm />
      </Card>
      <SessionsPanel />
    </>
  );
}
