import { requireActor } from "@/app/_auth/require";
import { SignOutButton } from "@/app/_components/sign-out";
import { serverCaller } from "@/app/_trpc/server";
import { TRPCReactProvider } from "@/app/_trpc/client";
import { PortalNav } from "./_components/portal-nav";

async function clinicName(): Promise<string | null> {
  try {
    return (await (await serverCaller()).portal.overview()).clinicName;
  } catch {
    // The header still works without the name; the page shows the real error.
    return null;
  }
}

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  await requireActor(["patient"]);
  const name = await clinicName();
  return (
    <TRPCReactProvider>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-2xl items-center justify-between gap-3 px-4 pt-3">
          <p className="min-w-0">
            <span className="block truncate text-base font-bold text-slate-900">{name ?? "Patient portal"}</span>
            <span className="block text-xs font-medium text-slate-600">{name ? "Patient portal · Referrals" : "Referrals"}</span>
          </p>
          <span className="flex items-center gap-1">
            <a href="/portal/security" className="min-h-11 content-center rounded-lg px-2 text-sm font-medium text-slate-700 underline-offset-4 hover:underline">
              Account
            </a>
            <SignOutButton />
          </span>
        </div>
        <PortalNav />
      </header>
      <main id="main" className="mx-auto flex max-w-2xl flex-col gap-5 px-4 py-6">
        {children}
      </main>
    </TRPCReactProvider>
  );
}
