import type { Metadata } from "next";
import { serverCaller } from "@/app/_trpc/server";
import { CrmWorkspace } from "../_components/crm-workspace";
import { PageHeading } from "../_components/table";

export const metadata: Metadata = { title: "Prospects" };

export default async function Prospects() {
  const rows = await (await serverCaller()).platformB2b.prospects();
  return (
    <div className="flex flex-col gap-6">
      <PageHeading title="Prospects">Practices the sales team is already working. A referral of an active one is flagged.</PageHeading>
      <CrmWorkspace kind="prospect" rows={rows} />
    </div>
  );
}
