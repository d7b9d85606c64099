import type { Metadata } from "next";
import Link from "next/link";
import { linkButtonClass } from "@/app/_components/ui";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-lg flex-col justify-center gap-5 px-5 py-10">
      <h1 className="text-3xl font-bold text-slate-900">We couldn&apos;t find that page</h1>
      <p className="text-lg text-slate-700">
        The address may have a typo, or the page has moved. If you followed an invitation link, check that it was copied in
        full.
      </p>
      <div className="flex flex-wrap gap-3">
        <Link href="/" className={linkButtonClass}>
          Go to the home page
        </Link>
        <Link
          href="/signin"
          className="inline-flex min-h-11 items-center justify-center rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-100"
        >
          Sign in
        </Link>
      </div>
    </main>
  );
}
