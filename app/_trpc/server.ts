import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { createRequestContext } from "@/server/context";
import { createCaller } from "@/server/root";

/**
 * Procedures called from server components and actions, with the same checks as over HTTP. A
 * session that ended (rule N6) goes to sign-in: a page of a layout already rendered gets there too.
 */
export const serverCaller = cache(async () =>
  createCaller(await createRequestContext(await headers()), {
    onError({ error }) {
      if (error.code === "UNAUTHORIZED") redirect("/signin");
    },
  }),
);
