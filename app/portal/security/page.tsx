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
      <MessageChoices />
    </>
  );
}
