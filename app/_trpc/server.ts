import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { createRequestContext } from "@/server/context";
import { createCaller } from "@/server/root";

/** Procedures called from server components, with the same checks as over HTTP. */
export const serverCaller = cache(async () => createCaller(await createRequestContext(await headers())));
