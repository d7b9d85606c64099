import Link from "next/link";
import { TRPCReactProvider } from "@/app/_trpc/client";

/** Sign-in and sign-up: one narrow column that reads well on a phone first. */
export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <TRPCReactProvider>
      <div className="mx-auto flex min-h-screen w-full max-w-md flex-col px-5 py-8 sm:py-14">
        <header className="mb-6">
          <Link href="/" className="text-lg font-bold text-brand-700 hover:text-brand-800">
            Referrals
          </Link>
        </header>
        <main id="main" className="flex flex-col gap-6">
          {children}
        </main>
      </div>
    </TRPCReactProvider>
  );
}
