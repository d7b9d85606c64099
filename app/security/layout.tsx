import { redirect } from "next/navigation";
import { currentActor } from "@/app/_auth/require";
import { SignOutButton } from "@/app/_components/sign-out";
import { homeFor } from "@/server/auth/roles";

/** The account's own security page: open to every signed-in role, before a required second factor exists. */
export default async function SecurityLayout({ children }: { children: React.ReactNode }) {
  const actor = await currentActor();
  if (!actor) redirect("/signin");
  return (
    <>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-3xl items-center justify-between gap-3 px-4 py-2 sm:px-6">
          <a href={homeFor(actor.role)} className="min-h-11 content-center text-sm font-medium text-brand-700 underline-offset-4 hover:underline">
            ← Back
          </a>
          <SignOutButton />
        </div>
      </header>
      <main id="main" className="mx-auto flex max-w-3xl flex-col gap-6 px-4 py-6 sm:px-6 sm:py-8">
        {children}
      </main>
    </>
  );
}
