import type { Metadata } from "next";
import { serverCaller } from "@/app/_trpc/server";
import { PageHeading } from "../_components/table";
import { PartnerProgramForm } from "./program-form";

export const metadata: Metadata = { title: "Partner program" };

/** Rules B3, B4: what partner referrers earn, who may refer, and the terms version new submissions get. */
export default async function PartnerProgramPage() {
  const program = await (await serverCaller()).platformB2b.program();
  return (
    <div className="flex max-w-2xl flex-col gap-6">
      <PageHeading title="Partner program">
        What a practice that refers another practice earns. Changes apply to submissions from now on; earlier ones keep their terms.
      </PageHeading>
      <PartnerProgramForm initial={program} />
    </div>
  );
}
