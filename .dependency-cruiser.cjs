/**
 * Which way imports may run (issue 21). Lower layers never import higher ones:
 *   db  <  kernel, queue, events  <  messaging  <  auth  <  services  <  jobs, http, api, routers, demo  <  app
 * Tests and server/testing may reach anywhere to set a scene.
 */
const TESTS = "(\\.test\\.tsx?$|^server/testing/|^e2e/|^bench/|^scripts/)";
const layer = (name, from, forbidden, comment) => ({
  name,
  comment,
  severity: "error",
  from: { path: from, pathNot: TESTS },
  to: { path: forbidden },
});

module.exports = {
  forbidden: [
    layer("db-is-the-bottom", "^db/", "^(server|app)/", "db/ imports nothing from server/ or app/."),
    layer("kernel-has-no-rules", "^server/kernel/", "^server/(services|messaging|auth|jobs|routers|api|http|demo)/", "kernel/ is used by all and knows no domain."),
    layer("queue-and-events-below-domains", "^server/(queue|events)/", "^server/(services|messaging|auth|jobs|routers|api|http|demo)/", "queue/ and events/ are called by services, never the reverse."),
    layer("messaging-below-services", "^server/messaging/", "^server/(services|auth|jobs|routers|api|http|demo)/", "Services queue messages; messaging never calls a service back."),
    layer("auth-below-services", "^server/auth/", "^server/(services|jobs|routers|api|demo)/", "Services use auth's passwords, sessions and links; auth never calls a service."),
    layer("services-see-no-jobs", "^server/services/", "^server/(jobs|routers|api|http|demo)/", "Services never import job handlers, routers or HTTP; they enqueue through server/queue."),
    layer("services-see-no-app", "^server/", "^app/", "server/ never imports the Next.js app."),
    layer(
      "domain-speaks-no-trpc",
      "^server/(services|auth|messaging|kernel|events|queue)/",
      "(^|/)node_modules/@trpc/server/",
      "The domain throws DomainError (server/kernel/errors.ts); only server/trpc.ts maps it to TRPCError.",
    ),
    layer("jobs-below-the-edges", "^server/jobs/", "^server/(routers|api|http)/", "Job handlers call services, not the HTTP edges."),
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^\\.next/|^db/migrations/)" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"], extensions: [".ts", ".tsx", ".js", ".mjs"] },
  },
};
