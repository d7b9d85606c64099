"use client";

import Link from "next/link";
import { Button } from "@/app/_components/ui";

/** Any unexpected failure: a way forward, never the raw error (which may hold patient data). */
export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  // The digest is an opaque hash that support can match to server logs; the message is not shown.
  const reference = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : null;
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-lg flex-col justify-center gap-5 px-5 py-10">
      <h1 className="text-3xl font-bold text-slate-900">Something went wrong</h1>
      <p className="text-lg text-slate-700">
        This page didn&apos;t load properly. Please try again in a moment.
      </p>
      <div className="flex flex-wrap gap-3">
        <Button onClick={() => retry()}>Try again</Button>
        <Link
          href="/"
          className="inline-flex min-h-11 items-center justify-center rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-100"
        >
          Go to the home page
        </Link>
      </div>
      {reference && <p className="text-sm text-slate-600">If it keeps happening, tell support this reference: {reference}</p>}
    </main>
  );
}
