"use client";

import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState } from "react";
import superjson from "superjson";
import { MAX_BATCH_SIZE } from "@/server/http/limits";
import type { AppRouter } from "@/server/root";

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

/** Rule N6: a session ended elsewhere (password change, disabled account) sends this browser to sign-in at its next call. */
function toSignInWhenEnded(error: unknown) {
  if (!(error instanceof TRPCClientError) || (error.data as { code?: string } | undefined)?.code !== "UNAUTHORIZED") return;
  // A full load on purpose: nothing the ended session had cached stays in this page.
  // eslint-disable-next-line @next/next/no-location-assign-relative-destination
  window.location.assign("/signin");
}

function makeQueryClient() {
  return new QueryClient({
    queryCache: new QueryCache({ onError: toSignInWhenEnded }),
    mutationCache: new MutationCache({ onError: toSignInWhenEnded }),
    defaultOptions: {
      queries: { staleTime: 30_000, retry: 1, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}

/** The tRPC and React Query clients for one audience's pages. */
export function TRPCReactProvider({ children }: { children: React.ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      // Item 12: queries by POST too, so a search for a patient's name never sits in a URL or an
      // access log; batches no larger than the server accepts (item 18).
      links: [httpBatchLink({ url: "/api/trpc", transformer: superjson, methodOverride: "POST", maxItems: MAX_BATCH_SIZE })],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
