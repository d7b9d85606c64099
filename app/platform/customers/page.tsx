import type { Metadata } from "next";
import { serverCaller } from "@/app/_trpc/server";
import { CrmWorkspace } from "../_components/crm-workspace";
import { PageHeading } from "../_components/table";

export const metadata: Metadata = { title: "Customers" };

export default async function Customers() {
  const rows = await (await serverCaller()).platformB2b.customers();
  return (
    <div className="flex flex-col gap-6">
      <PageHeading title="Customers">Practices that pay the platform. A referral of one is flagged; billing decides how a flat credit is given.</PageHeading>
      <CrmWorkspace kind="customer" rows={rows} />
    </div>
  );
}
