"use client";

import { TRPCClientError } from "@trpc/client";
import { Alert, Button } from "@/app/_components/ui";

export function Loading({ what }: { what?: string }) {
  return (
    <p role="status" className="text-sm text-slate-600">
      Loading{what ? ` ${what}` : ""}…
    </p>
  );
}

/** A failed query: what failed, in plain words, and a way to try again. */
export function LoadError({ what, error, onRetry }: { what: string; error: unknown; onRetry: () => void }) {
  // Server messages are already user-safe (server/trpc.ts); network errors are not worth showing raw.
  const detail = error instanceof TRPCClientError && error.data ? error.message : "Check your connection and try again.";
  return (
    <Alert>
      <p className="font-semibold">We couldn&apos;t load {what}.</p>
      <p className="mt-1">{detail}</p>
      <Button type="button" variant="secondary" className="mt-3" onClick={onRetry}>
        Try again
      </Button>
    </Alert>
  );
}
