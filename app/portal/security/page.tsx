import type { Metadata } from "next";
import { Card } from "@/app/_components/ui";
import { PasswordForm } from "@/app/security/forms";
import { SessionsPanel } from "@/app/security/panels";
import { MessageChoices } from "./message-choices";

export const metadata: Metadata = { title: "Account" };

/** Rule N6: a patient's password change signs out their other browsers. */
export default function PortalSecurityPage() {
  return (
    <>
      <h1 className="text-2xl font-bold text-slate-900">Your account</h1>
      <Card title="Change your password">
        <PasswordForm />
      </Card>
      <SessionsPanel />
      <Card title="Your data">
        <p className="text-sm text-slate-700">
          Download everything the clinic&apos;s referral program holds about you: your profile, referrals, credits, orders, appointments and the
          messages we sent you.
        </p>
        <a href="/api/portal/export" download className="mt-2 inline-flex min-h-11 items-center text-sm font-medium text-brand-700 underline">
          Download my data (ZIP of JSON and CSV)
        </a>
      </Card>
      <MessageChoices />
    </>
  );
}
