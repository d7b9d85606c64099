import type { QueryClient, QueryKey } from "@tanstack/react-query";

/**
 * After a change, refetch what shows it. React Query's invalidation joins a first load still in
 * flight instead of starting another, and that load began before the change, so a list read right
 * after the page opened would miss what was just added until a reload. Cancelling first (the
 * query keeps what it had) makes the refetch begin after the change.
 */
export async function refreshQueries(queryClient: QueryClient, queryKey: QueryKey): Promise<void> {
  await queryClient.cancelQueries({ queryKey });
  await queryClient.invalidateQueries({ queryKey });
}
