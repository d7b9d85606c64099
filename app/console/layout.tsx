import { requireActor } from "@/app/_auth/require";
import { SignOutButton } from "@/app/_components/sign-out";
import { TRPCReactProvider } from "@/app/_trpc/client";
import { serverCaller } from "@/app/_trpc/server";
import { ConsoleNav } from "./_components/nav";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireActor("staff");
  const clinic = await (await serverCaller()).clinic.profile();
  return (
    <TRPCReactProvider>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-1 px-4 py-2 sm:px-6">
          <div className="py-1">
            <p className="font-semibold text-slate-900">{clinic.name}</p>
            <p className="text-xs text-slate-600">Referral program console</p>
          </div>
          <div className="ml-auto flex items-center gap-2 sm:order-last">
            <span className="hidden text-sm text-slate-600 sm:inline">
              {actor.firstName} · {actor.role === "admin" ? "Admin" : "Staff"}
            </span>
<a href="/security" className="min-h-11 content-center rounded-lg px-3 text-sm font-medium text-slate-700 underline-offset-4 hover:underline">
              Account
            </a>
            <SignOutButton />
          </div>
          <ConsoleNav isAdmin={actor.role === "admin"} />
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8">
        {children}
      </main>
    </TRPCReactProvider>
  );
}
