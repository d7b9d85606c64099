import type { Metadata } from "next";
import { requireActor } from "@/app/_auth/require";
import { serverCaller } from "@/app/_trpc/server";
import { SettingsNav } from "../_components/settings-nav";
import { ServicesWorkspace } from "./services-workspace";

export const metadata: Metadata = { title: "Services" };

export default async function ServicesPage() {
  await requireActor("admin");
  const services = await (await serverCaller()).clinic.services();
  return (
    <div className="flex max-w-3xl flex-col gap-6">
      <SettingsNav />
      <div>
        <h1 className="text-2xl font-bold text-slate-900">Services and prices</h1>
        <p className="mt-1 text-slate-700">What patients can order. A new price applies from now on; past orders keep the price they were sold at.</p>
      </div>
      <ServicesWorkspace initial={services} />
    </div>
  );
}
