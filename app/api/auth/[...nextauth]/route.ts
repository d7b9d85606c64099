import { NextRequest } from "next/server";
import { handlers } from "@/server/auth/config";
import { env } from "@/server/env";
import { withoutForwardedHeaders } from "@/server/http/forwarded";

// Auth.js believes X-Forwarded-Host and -Proto; with no trusted proxy (TRUSTED_PROXY_HOPS=0) it sees none.
const untrusted = (handler: (request: NextRequest) => Promise<Response>) => (request: NextRequest) =>
  handler(env.TRUSTED_PROXY_HOPS === 0 ? new NextRequest(withoutForwardedHeaders(request)) : request);

export const GET = untrusted(handlers.GET);
export const POST = untrusted(handlers.POST);
