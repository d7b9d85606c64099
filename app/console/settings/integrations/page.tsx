import type { Metadata } from "next";
import Link from "next/link";
import { ApiKeysWorkspace } from "@/app/_components/api-keys";
import { requireActor } from "@/app/_auth/require";
import { serverCaller } from "@/app/_trpc/server";
import { SettingsNav } from "../_components/settings-nav";

export const metadata: Metadata = { title: "Integrations" };

/** The clinic's API keys for its own systems (issue 11): front desk, practice management, CRM. */
export default async function IntegrationsPage() {
  await requireActor("admin");
  const keys = await (await serverCaller()).integrations.apiKeys();
  return (
    <div className="flex max-w-3xl flex-col gap-6">
      <SettingsNav />
      <div>
        <h1 className="text-2xl font-bold text-slate-900">Integrations</h1>
        <p className="mt-1 text-slate-700">
          Keys for the REST API, so your checkout, practice-management system or CRM can create patients, record orders and apply credit. Every call with a key is
          recorded in the audit log. See the <Link className="font-medium text-brand-700 underline" href="/api/v1/openapi.json">API reference (OpenAPI)</Link>.
        </p>
      </div>
      <ApiKeysWorkspace owner="clinic" initial={keys} />
    </div>
  );
}
