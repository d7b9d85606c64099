import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { logError } from "@/server/log";
import { appRouter } from "@/server/root";
import { RateLimited } from "@/server/kernel/rate-limit";
import type { Context } from "@/server/trpc";
import { bodyLimitFor, MAX_BATCH_SIZE, readLimitedBody } from "./limits";

/** tRPC over HTTP, with the request limits and logging every instance must share. */
export async function handleTrpc(req: Request, createContext: () => Promise<Context>): Promise<Response> {
  // Item 18: a huge body is refused before it is parsed, and a batch holds at most 10 calls.
  const limited = await readLimitedBody(req, bodyLimitFor(req.url));
  if (!limited.ok) return limited.response;
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: limited.request,
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    // Item 12: queries may arrive by POST, so searches by name or email stay out of URLs and access logs.
    allowMethodOverride: true,
    createContext,
    // Rule N6: a throttled call says when to come back; tRPC already answers TOO_MANY_REQUESTS with 429.
    responseMeta({ errors }) {
      const waits = errors.flatMap((e) => (e.cause instanceof RateLimited ? [e.cause.retryAfterSeconds] : []));
      return waits.length ? { headers: new Headers({ "Retry-After": String(Math.max(...waits)) }) } : {};
    },
    onError({ error, path }) {
      // Rule N3: the procedure and the error's kind, never the input or the SQL parameters.
      if (error.code === "INTERNAL_SERVER_ERROR") logError(`tRPC ${path ?? "?"}`, error.cause ?? error);
    },
  });
}
