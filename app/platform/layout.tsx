import { requireActor } from "@/app/_auth/require";
import { SignOutButton } from "@/app/_components/sign-out";
import { TRPCReactProvider } from "@/app/_trpc/client";
import { PlatformNav } from "./_components/nav";

export default async function PlatformLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireActor("platform");
  return (
    <TRPCReactProvider>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-1 px-4 py-2 sm:px-6">
          <div className="py-1">
            <p className="font-semibold text-slate-900">Referrals platform</p>
            <p className="text-xs text-slate-600">Platform administration</p>
          </div>
          <div className="ml-auto flex items-center gap-2 sm:order-last">
            <span className="hidden text-sm text-slate-600 sm:inline">{actor.firstName}</span>
<a href="/security" className="min-h-11 content-center rounded-lg px-3 text-sm font-medium text-slate-700 underline-offset-4 hover:underline">
              Account
            </a>
            <SignOutButton />
          </div>
          <PlatformNav />
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8">
        {children}
      </main>
    </TRPCReactProvider>
  );
}
