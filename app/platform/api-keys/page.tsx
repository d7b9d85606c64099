import type { Metadata } from "next";
import { ApiKeysWorkspace } from "@/app/_components/api-keys";
import { serverCaller } from "@/app/_trpc/server";
import { PageHeading } from "../_components/table";

export const metadata: Metadata = { title: "API keys" };

/** Platform keys for the partner program's REST routes (form tools, the CRM). */
export default async function PlatformApiKeys() {
  const keys = await (await serverCaller()).integrations.platformApiKeys();
  return (
    <div className="flex max-w-3xl flex-col gap-6">
      <PageHeading title="API keys">Platform keys submit practice referrals and read their status through /api/v1/partner. Every call is in the audit log.</PageHeading>
      <ApiKeysWorkspace owner="platform" initial={keys} />
    </div>
  );
}
