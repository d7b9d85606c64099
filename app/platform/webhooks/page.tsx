import type { Metadata } from "next";
import { WebhooksWorkspace } from "@/app/_components/webhooks/webhooks-workspace";
import { EVENT_CATALOG } from "@/server/events/catalog";
import { PageHeading } from "../_components/table";

export const metadata: Metadata = { title: "Webhooks" };

/** Rule A4: the partner program's outgoing webhooks (platform admins; the layout checks the role). */
export default function PlatformWebhooks() {
  return (
    <div className="flex flex-col gap-6">
      <PageHeading title="Webhooks">The partner program&apos;s events, signed and delivered to the endpoints you add.</PageHeading>
      <WebhooksWorkspace inboundProviders={["typeform"]} scope="platformIntegrations" eventTypes={EVENT_CATALOG.filter((t) => t.startsWith("b2b.") || t.startsWith("payout.") || t === "webhook.disabled")} />
    </div>
  );
}
