import type { Metadata } from "next";
import { requireActor } from "@/app/_auth/require";
import { WebhooksWorkspace } from "@/app/_components/webhooks/webhooks-workspace";
import { EVENT_CATALOG } from "@/server/events/catalog";
import { SettingsNav } from "../_components/settings-nav";

export const metadata: Metadata = { title: "Webhooks" };

/** Rule A4: the clinic's outgoing webhooks. */
export default async function WebhooksPage() {
  await requireActor("admin");
  return (
    <div className="flex max-w-4xl flex-col gap-6">
      <SettingsNav />
      <div>
        <h1 className="text-2xl font-bold text-slate-900">Webhooks</h1>
        <p className="mt-1 text-slate-700">
          Send the program&apos;s events to your CRM, Slack, Zapier, Make or Power Automate. Every delivery is signed (Standard Webhooks) and retried for about a day when the receiver fails.
        </p>
      </div>
      <WebhooksWorkspace inboundProviders={["stripe", "calendly"]} scope="integrations" eventTypes={EVENT_CATALOG.filter((t) => !t.startsWith("b2b.") && !t.startsWith("payout."))} />
    </div>
  );
}
