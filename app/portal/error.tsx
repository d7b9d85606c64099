"use client";

import { Alert, Button } from "@/app/_components/ui";

/** A page of the portal failed to render; the header and navigation stay usable. */
export default function PortalError({ retry }: { error: unknown; retry: () => void }) {
  return (
    <>
      <h1 className="text-2xl font-bold text-slate-900">Something went wrong</h1>
      <Alert>
        <p>We couldn&apos;t load this page. Your credit and orders are safe. Please try again in a moment.</p>
        <Button type="button" variant="secondary" className="mt-3" onClick={() => retry()}>
          Try again
        </Button>
      </Alert>
    </>
  );
}
